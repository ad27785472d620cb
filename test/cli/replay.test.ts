import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Finding } from '../../src/findings/finding';
import { runCli } from '../helpers/cli';
import { sample } from '../helpers/fixtures';

const TRAIL = join(__dirname, '..', '..', 'samples', 'trail');

function parseLines(stdout: string): Finding[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Finding);
}

describe('replay of the sample trail', () => {
  test('--format json prints one finding per line and nothing else', async () => {
    const run = await runCli(['replay', TRAIL, '--format', 'json']);
    expect(run.code).toBe(0);
    const findings = parseLines(run.stdout);
    expect(findings.map((f) => `${f.check} ${f.severity} ${f.event?.id}`).sort()).toEqual(
      [
        'deleted-secret-accessed HIGH derived-0001-read-after-delete',
        'secret-deletion-denied MEDIUM derived-0003-denied',
        // The two AWS documentation examples share an eventID (both are placeholders) but not an account/secret: both are reported.
        'secret-deletion-scheduled HIGH derived-0002-short-window',
        'secret-deletion-scheduled MEDIUM 55cdf183-64b2-4f8b-a600-731f60938da4',
        'secret-deletion-scheduled MEDIUM EXAMPLE3-90ab-cdef-fedc-ba987EXAMPLE',
        'secret-deletion-scheduled MEDIUM EXAMPLE3-90ab-cdef-fedc-ba987EXAMPLE',
        'secret-force-deleted CRITICAL 963b9b1e-70e4-4c39-ac9a-8174ed5c8c09',
        'secret-force-deleted CRITICAL dbf59de5-4d63-4aca-9fce-a657f5df89c9',
        'secret-restored INFO db0e72b0-f482-4af3-9b88-96b901840a6f',
        // Panther: Principal "*" pinned to an organization that is not trustedOrgId.
        'secret-policy-cross-account HIGH xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
        // StreamAlert: Principal "*", no condition (its publisher redacted the eventID to "...").
        'secret-policy-public CRITICAL ...',
        'secret-replica-promoted MEDIUM derived-0011-replica-promoted',
        'secret-policy-change-denied MEDIUM derived-0004-policy-change-refused',
        'secret-policy-changed LOW derived-0005-policy-owner-only',
        'secret-policy-deleted LOW derived-0006-policy-deleted',
        // AWS documentation: RotationFailed at the setSecret step.
        'rotation-failed HIGH EXAMPLE3-90ab-cdef-fedc-ba987EXAMPLE',
        // Permiso console session: RotateSecret refused, Secrets Manager may not invoke the function.
        'rotation-failed MEDIUM 516b1e90-935b-4575-8b76-32e062d84e7a',
        'rotation-disabled MEDIUM derived-0007-rotation-cancelled',
        'rotation-schedule-too-long MEDIUM derived-0008-rotation-yearly',
        'rotation-failed MEDIUM derived-0009-rotation-abandoned',
        // IAM: Panther's AdministratorAccess attachment (eventID "1") from the shipped table; its
        // ReadOnlyAccess one gives nothing (it reads no secret value).
        'identity-policy-reads-all-secrets HIGH 1',
        'identity-policy-administers-all-secrets HIGH 1',
        'identity-policy-reads-all-secrets HIGH derived-iam-01-role-inline-star',
        'identity-policy-administers-all-secrets HIGH derived-iam-01-role-inline-star',
        'identity-policy-reads-all-secrets MEDIUM derived-iam-07-role-inline-tag-condition',
        'identity-policy-change-denied MEDIUM derived-iam-10-role-inline-refused',
        'identity-policy-reads-all-secrets HIGH derived-iam-12-group-attach-secretsmanagerreadwrite',
        'identity-policy-administers-all-secrets HIGH derived-iam-12-group-attach-secretsmanagerreadwrite',
        'identity-policy-reads-all-secrets HIGH derived-iam-15-policy-version-default',
        'identity-policy-administers-all-secrets HIGH derived-iam-15-policy-version-default',
      ].sort(),
    );
    expect(run.stderr).toMatch(new RegExp(`^secretwatch replay: ${findings.length} finding\\(s\\) from \\d+ record\\(s\\) in 9 file\\(s\\)`));
  });

  test('an attachment of a policy the shipped table does not hold: no identity finding, one line on stderr', async () => {
    const dir = join(__dirname, '..', '..', 'src', 'checks', 'identity-policy', 'identity-policy-reads-all-secrets', 'events');
    const file = join(mkdtempSync(join(tmpdir(), 'secretwatch-iam-')), 'iam.jsonl');
    const customer = readFileSync(join(dir, 'derived-iam-14-role-attach-customer-policy.json'), 'utf8');
    const admin = readFileSync(join(__dirname, '..', 'fixtures', 'cloudtrail', 'AttachRolePolicy', 'panther-1.json'), 'utf8');
    writeFileSync(file, `${JSON.stringify(JSON.parse(customer))}\n${JSON.stringify(JSON.parse(admin))}\n`);
    const run = await runCli(['replay', file, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(parseLines(run.stdout).map((f) => `${f.check} ${f.resource.type} ${f.resource.name}`)).toEqual([
      'identity-policy-administers-all-secrets AwsIamRole new-role',
      'identity-policy-reads-all-secrets AwsIamRole new-role',
    ]);
    const lines = run.stderr.split('\n').filter((l) => l.includes('could not be evaluated offline'));
    expect(lines).toEqual([
      `secretwatch: ${file}: eventID derived-iam-14-role-attach-customer-policy: identity policy arn:aws:iam::123456789012:policy/DevSvcPolicy could not be evaluated offline (not an AWS managed policy: its document is only in the account (the deployed function reads it)); no identity-policy finding for it`,
    ]);
  });

  test('a record delivered twice gives one finding', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secretwatch-dup-')), 'dup.jsonl');
    const line = JSON.stringify(sample('DeleteSecret/invictus-awsds-1.json'));
    writeFileSync(file, `${line}\n${line}\n`);
    const run = await runCli(['replay', file, '--format', 'json']);
    expect(parseLines(run.stdout)).toHaveLength(1);
    expect(run.stderr).toContain('1 duplicate(s) dropped');
  });

  test('--min-severity and --fail-on', async () => {
    const all = parseLines((await runCli(['replay', TRAIL, '--format', 'json'])).stdout);
    const high = await runCli(['replay', TRAIL, '--format', 'json', '--min-severity', 'high', '--fail-on', 'CRITICAL']);
    const expectedHigh = all.filter((f) => f.severity === 'CRITICAL' || f.severity === 'HIGH').map((f) => `${f.severity} ${f.check}`);
    expect(expectedHigh).toEqual(expect.arrayContaining(['CRITICAL secret-force-deleted', 'CRITICAL secret-policy-public', 'HIGH secret-policy-cross-account']));
    expect(expectedHigh.length).toBeLessThan(all.length);
    expect(
      parseLines(high.stdout)
        .map((f) => `${f.severity} ${f.check}`)
        .sort(),
    ).toEqual(expectedHigh.sort());
    expect(high.code).toBe(1);
    const none = await runCli(['replay', TRAIL, '--format', 'json', '--min-severity', 'CRITICAL', '--fail-on', 'CRITICAL', '--since', '2023-08-01']);
    expect(none.stdout).toBe('');
    expect(none.code).toBe(0);
  });

  test('--since and --until select by event time', async () => {
    const run = await runCli(['replay', TRAIL, '--format', 'json', '--since', '2023-12-08', '--until', '2023-12-08T04:27:00Z']);
    expect(parseLines(run.stdout).map((f) => f.event?.id)).toEqual(['516b1e90-935b-4575-8b76-32e062d84e7a', '55cdf183-64b2-4f8b-a600-731f60938da4']);
    expect(run.stderr).toContain('outside --since/--until');
  });

  test('a table on a terminal, by default', async () => {
    const run = await runCli(['replay', TRAIL], { tty: true });
    expect(run.stdout).toContain('Severity');
    expect(run.stdout).toContain('secret-force-deleted');
    expect(run.stdout).toContain('stratus-red-team-retrieve-secret-7');
    expect(run.stdout.split('\n').length).toBeGreaterThan(8);
  });

  test('markdown', async () => {
    const run = await runCli(['replay', TRAIL, '--format', 'markdown', '--min-severity', 'CRITICAL']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('| Time (UTC) | Severity | Check | Resource | Account / region | Actor |');
    expect(lines.filter((l) => l.startsWith('| 2023'))).toHaveLength(2);
    // A timeline: the 2019 StreamAlert record first.
    expect(run.stdout).toContain('1. **CRITICAL** Secret test made public by its resource policy');
    expect(run.stdout).toContain('2. **CRITICAL** Secret stratus-red-team-retrieve-secret-');
  });

  test('settings from --set change the verdict', async () => {
    const run = await runCli(['replay', TRAIL, '--format', 'json', '--set', 'minRecoveryWindowDays=7']);
    expect(parseLines(run.stdout).find((f) => f.event?.id === 'derived-0002-short-window')?.severity).toBe('MEDIUM');
  });
});

describe('bad input is reported, skipped, and the replay goes on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secretwatch-replay-'));
  const good = JSON.stringify({ Records: [sample('DeleteSecret/invictus-awsds-1.json')] });
  const files: Record<string, string | Buffer> = {
    '01-truncated.json': good.slice(0, 200),
    '02-not-gzip.json.gz': good,
    '03-other-service.json': JSON.stringify({ Records: [{ eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket' }] }),
    '04-no-detail.jsonl': JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.secretsmanager', note: 'secretsmanager' }) + '\n',
    '05-wrong-types.json': JSON.stringify({ eventSource: 'secretsmanager.amazonaws.com', eventName: 42, eventTime: '2024-01-01T00:00:00Z' }),
    '06-huge.json': JSON.stringify({ Records: [{ ...sample('DeleteSecret/invictus-awsds-2.json'), padding: 'x'.repeat(1024 * 1024) }] }),
    '07-corrupt.json.gz': Buffer.concat([gzipSync(good).subarray(0, 40), Buffer.from('garbage')]),
    '08-good.json.gz': gzipSync(good),
  };
  mkdirSync(join(dir, 'trail'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'trail', name), content);

  test('each has its own message; the good file still gives its finding; the exit code says so', async () => {
    const run = await runCli(['replay', join(dir, 'trail'), join(dir, 'missing.json'), '--format', 'json']);
    expect(parseLines(run.stdout).map((f) => f.event?.id)).toEqual(['dbf59de5-4d63-4aca-9fce-a657f5df89c9']);
    expect(run.code).toBe(3);
    const err = run.stderr;
    expect(err).toMatch(/01-truncated\.json:1: record \(byte \d+\) skipped: invalid-json: input ends inside a JSON value/);
    expect(err).toContain('02-not-gzip.json.gz: name ends in .gz but the content is not gzip (file skipped)');
    expect(err).not.toContain('03-other-service');
    expect(err).toMatch(/04-no-detail\.jsonl:1: record \(byte 0\) skipped: missing-detail/);
    expect(err).toMatch(/05-wrong-types\.json:1: record \(byte 0\) skipped: schema: eventName/);
    expect(err).toMatch(/06-huge\.json:1: record \(byte \d+\) skipped: record-too-large/);
    expect(err).toMatch(/07-corrupt\.json\.gz: .*\(the records before it were checked, the rest of the file skipped\)/);
    expect(err).toContain('missing.json: no such file or directory (file skipped)');
    expect(err).toMatch(/1 finding\(s\) from \d+ record\(s\) in 8 file\(s\)/);
  });
});

describe('usage errors exit 2', () => {
  test.each([
    [['replay', TRAIL, '--format', 'xml'], 'expected one of table, json, markdown'],
    [['replay', TRAIL, '--fail-on', 'SEVERE'], 'expected one of CRITICAL, HIGH, MEDIUM, LOW, INFO'],
    [['replay', TRAIL, '--since', 'last tuesday'], 'expected an ISO 8601 date'],
    [['replay', TRAIL, '--set', 'maxRotationDays=-1'], 'invalid setting --set.maxRotationDays'],
    [['replay', TRAIL, '--config', '/nonexistent/secretwatch.config.json'], 'cannot read'],
    [['replay'], "missing required argument 'paths'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  test('--help exits 0 and lists the commands', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('replay');
    expect(run.stdout).toContain('test-pattern');
  });
});
