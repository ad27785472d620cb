/**
 * Every check folder's own events, run as the deployment runs them: through the rule patterns of
 * the check's function (built from the checks' declared events), then the checks. A check whose
 * event its rule would not deliver fails here, as does one that reads a setting it does not declare.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allChecks, checkById } from '../../src/checks';
import { catalogueEntry, type EventCheck } from '../../src/checks/check';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config';
import { parseEvent } from '../../src/events/parse';
import { monitorByName, monitors } from '../../src/monitors';
import { EventRouter } from '../../src/monitors/router';
import { awsManagedPolicyLookup } from '../../src/resources/awsManagedPolicies';

const ROOT = join(__dirname, '..', '..');
const CHECKS = join(ROOT, 'src', 'checks');
const NOW = new Date('2024-06-01T00:00:00Z');

interface Expectation {
  /** A shared record elsewhere in the repository, instead of a sibling <case>.json. */
  record?: string;
  config?: Partial<Config>;
  finding: Record<string, unknown> | null;
}

interface EventCase {
  check: string;
  name: string;
  file: string;
  expectation: Expectation;
  event: unknown;
}

function checkFolders(): { family: string; id: string; dir: string }[] {
  return readdirSync(CHECKS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((family) =>
      readdirSync(join(CHECKS, family.name), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(CHECKS, family.name, d.name, 'index.ts')))
        .map((d) => ({ family: family.name, id: d.name, dir: join(CHECKS, family.name, d.name) })),
    );
}

function eventCases(): EventCase[] {
  return checkFolders().flatMap(({ id, dir }) => {
    const events = join(dir, 'events');
    if (!existsSync(events)) return [];
    return readdirSync(events)
      .filter((f) => f.endsWith('.expected.json'))
      .sort()
      .map((f) => {
        const file = join(events, f);
        const expectation = JSON.parse(readFileSync(file, 'utf8')) as Expectation;
        const recordFile = expectation.record ? join(ROOT, expectation.record) : file.replace(/\.expected\.json$/, '.json');
        return { check: id, name: f.replace(/\.expected\.json$/, ''), file: relative(ROOT, file), expectation, event: JSON.parse(readFileSync(recordFile, 'utf8')) };
      });
  });
}

/** The config as the check sees it, recording every setting read. */
function recordingConfig(config: Config, read: Set<string>): Config {
  return new Proxy(config, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
}

const cases = eventCases();
const policies = awsManagedPolicyLookup();

test('every check is a folder <family>/<check-id> holding the check of that id and family, registered once', () => {
  const folders = checkFolders();
  expect(folders.map((f) => f.id).sort()).toEqual(allChecks.map((c) => c.id).sort());
  for (const { family, id } of folders) expect({ id, family: checkById(id)?.family }).toEqual({ id, family });
});

test('every event check has real events, at least one of which it reports', () => {
  for (const check of allChecks.filter((c) => c.kind === 'event')) {
    const own = cases.filter((c) => c.check === check.id);
    expect({ check: check.id, withFinding: own.some((c) => c.expectation.finding !== null) }).toEqual({ check: check.id, withFinding: true });
  }
});

test('every check runs in a function that exists', () => {
  for (const check of allChecks) expect({ check: check.id, monitor: monitorByName(check.monitor)?.name }).toEqual({ check: check.id, monitor: check.monitor });
});

test.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
  const check = checkById(c.check) as EventCheck;
  const config = { ...DEFAULT_CONFIG, ...c.expectation.config };
  const parsed = parseEvent(c.event);
  const router = new EventRouter(monitors);
  // As replay judges them: the AWS managed policies an attachment names come from the shipped table.
  const routed = router.evaluate(parsed, { config, now: NOW, policies });
  const finding = routed.findings.find((f) => f.check === check.id) ?? null;
  if (c.expectation.finding === null) {
    expect(finding).toBeNull();
    return;
  }
  // The rule must deliver it to the check's function, or in the account the check never sees it.
  expect(routed.matched.map((m) => m.name)).toContain(check.monitor);
  expect(finding).toMatchObject(c.expectation.finding);
  expect(finding?.description).toBe(check.description);
  expect(finding?.documentation).toBe(catalogueEntry(check.id));

  const read = new Set<string>();
  check.evaluate(parsed.record, { config: recordingConfig(config, read), now: NOW, policies });
  expect({ check: check.id, reads: [...read].filter((key) => !check.settings.includes(key as keyof Config)) }).toEqual({ check: check.id, reads: [] });
});
