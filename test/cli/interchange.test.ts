import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsffFinding } from '../../src/findings/asff';
import type { Finding } from '../../src/findings/finding';
import { findingIdOf } from '../../src/findings/findingId';
import { runCli } from '../helpers/cli';

const TRAIL = join(__dirname, '..', '..', 'samples', 'trail');

function jsonLines<T>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

test('replay --format asff prints one JSON array that BatchImportFindings takes: one entry per finding that names its account, same Ids as the findings', async () => {
  const [asff, json] = await Promise.all([runCli(['replay', TRAIL, '--format', 'asff', '-q']), runCli(['replay', TRAIL, '--format', 'json', '-q'])]);
  const imported = JSON.parse(asff.stdout) as AsffFinding[];
  const findings = jsonLines<Finding>(json.stdout);
  // One published record (a console session) was redacted of every account id: Security Hub cannot take it.
  const withoutAccount = findings.filter((f) => !f.account && !f.resource.arn);
  expect(withoutAccount.map((f) => f.event?.id)).toEqual(['516b1e90-935b-4575-8b76-32e062d84e7a']);
  expect(asff.stderr).toBe(
    'secretwatch: finding of event 516b1e90-935b-4575-8b76-32e062d84e7a left out of the ASFF output: rotation-failed: the finding names no account (AwsAccountId is required)\n',
  );
  expect(asff.code).toBe(3);
  expect(imported.map((f) => f.Id).sort()).toEqual(
    findings
      .filter((f) => !withoutAccount.includes(f))
      .map(findingIdOf)
      .sort(),
  );
  expect(imported.every((f) => f.SchemaVersion === '2018-10-08' && f.Compliance.Status === 'FAILED')).toBe(true);
});

test('replay --format ocsf prints one Detection Finding per line', async () => {
  const run = await runCli(['replay', TRAIL, '--format', 'ocsf', '-q']);
  expect(run.code).toBe(0);
  const events = jsonLines<{ class_uid: number; type_uid: number }>(run.stdout);
  expect(events.length).toBeGreaterThan(5);
  expect(new Set(events.map((e) => `${e.class_uid} ${e.type_uid}`))).toEqual(new Set(['2004 200401']));
});

test('replay --format asff of nothing is an empty array', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-asff-'));
  writeFileSync(join(dir, 'empty.json'), JSON.stringify({ Records: [] }));
  const run = await runCli(['replay', dir, '--format', 'asff', '-q']);
  expect(run).toMatchObject({ code: 0, stdout: '[]\n' });
});

test('--format accepts asff and ocsf and names them when it refuses another', async () => {
  const run = await runCli(['replay', TRAIL, '--format', 'xml']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('asff');
  expect(run.stderr).toContain('ocsf');
});
