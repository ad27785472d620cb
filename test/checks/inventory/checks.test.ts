import { expectSecretFinding, FINDING_KEYS } from '../../helpers/fixtures';
import { evaluateInventory, secretsToLookUp } from '../../../src/checks/inventory/evaluate';
import { projectRotations } from '../../../src/checks/inventory/projection';
import { DEFAULT_CONFIG, type Config } from '../../../src/config/config';
import type { Finding } from '../../../src/findings/finding';
import type { CurrentVersion, InventorySecret } from '../../../src/resources/secret';
import { DAY, HOUR, NOW, NOW_MS, rotating, secret } from '../../helpers/inventory';

function run(secrets: InventorySecret[], options: { config?: Partial<Config>; versions?: Map<string, CurrentVersion>; now?: Date; projected?: Set<string> } = {}) {
  return evaluateInventory(secrets, { config: { ...DEFAULT_CONFIG, ...options.config }, now: options.now ?? NOW }, { versions: options.versions, projected: options.projected });
}

/** "check SEVERITY" of each finding about this secret. */
function verdicts(s: InventorySecret, options: Parameters<typeof run>[1] = {}): string[] {
  return run([s], options)
    .findings.map((f) => `${f.check} ${f.severity}`)
    .sort();
}

function only(s: InventorySecret, check: string, options: Parameters<typeof run>[1] = {}): Finding | undefined {
  return run([s], options).findings.find((f) => f.check === check);
}

describe('rotation-overdue', () => {
  test.each([
    ['exactly 90 days: not overdue', 90 * DAY, null],
    ['90 days and a second', 90 * DAY + 1000, 'MEDIUM'],
    ['exactly twice the limit: still MEDIUM', 180 * DAY, 'MEDIUM'],
    ['past twice the limit', 180 * DAY + 1000, 'HIGH'],
  ])('never rotated, created %s', (_label, age, severity) => {
    const finding = only(secret({ createdMs: NOW_MS - age }), 'rotation-overdue');
    expect(finding?.severity ?? null).toBe(severity);
  });

  test('a secret never rotated: its age counts from creation, and it became overdue 90 days after', () => {
    const s = secret({ name: 'prod/db', createdMs: NOW_MS - 100 * DAY });
    expectSecretFinding(only(s, 'rotation-overdue'), {
      check: 'rotation-overdue',
      severity: 'MEDIUM',
      title: 'Secret prod/db has never been rotated: its value is 100 days old (limit 90 days)',
      secret: { arn: s.arn, name: 'prod/db', id: s.arn },
      account: '111122223333',
      region: 'eu-west-1',
      actor: null,
      event: null,
      details: {
        nonCompliantSince: '2024-05-22T00:00:00Z',
        ageDays: 100,
        maxRotationDays: 90,
        maxRotationDaysSource: 'config',
        currentValueSince: '2024-02-22T00:00:00Z',
        currentValueSource: 'CreatedDate',
        rotationEnabled: false,
      },
      remediation: `Rotate the credential: turn on rotation (aws secretsmanager rotate-secret --secret-id ${s.arn} --region eu-west-1 --rotation-lambda-arn <rotation-function-arn> --rotation-rules '{"ScheduleExpression":"rate(90 days)"}'), or change it at its source and store the new value with put-secret-value.`,
    });
  });

  test('the last rotation counts, not the creation', () => {
    expect(verdicts(rotating(30, 20))).toEqual([]);
    const stale = rotating(30, 95, { nextRotationMs: NOW_MS + DAY });
    expect(only(stale, 'rotation-overdue')).toMatchObject({ severity: 'MEDIUM', title: expect.stringContaining('was last rotated 95 days ago'), details: { currentValueSource: 'LastRotatedDate' } });
    expect(only(stale, 'rotation-overdue')?.remediation).toContain('Rotation is on but has not replaced the value');
  });

  describe('a value put by hand (PutSecretValue) is a rotation', () => {
    // Created 200 days ago, never rotated, changed 20 days ago: looks overdue until its version is read.
    const manual = secret({ name: 'ci/token', createdMs: NOW_MS - 200 * DAY, lastChangedMs: NOW_MS - 20 * DAY });

    test('it looks overdue, so its AWSCURRENT version is looked up', () => {
      expect(secretsToLookUp([manual], { config: DEFAULT_CONFIG, now: NOW })).toEqual([manual]);
    });

    test('a current version created 20 days ago: not overdue', () => {
      expect(verdicts(manual, { versions: new Map([[manual.arn, { createdMs: NOW_MS - 20 * DAY }]]) })).toEqual(['rotation-not-enabled MEDIUM', 'secret-unused LOW']);
    });

    test('a current version created 120 days ago: overdue since it was 90 days old', () => {
      const finding = only(manual, 'rotation-overdue', { versions: new Map([[manual.arn, { createdMs: NOW_MS - 120 * DAY }]]) });
      expect(finding).toMatchObject({
        severity: 'MEDIUM',
        title: "Secret ci/token's value was last changed 120 days ago (limit 90 days)",
        details: { currentValueSource: 'AWSCURRENT version', ageDays: 120, nonCompliantSince: '2024-05-02T00:00:00Z' },
      });
    });

    test('a failed look-up: judged by its creation, and the finding says why', () => {
      const finding = only(manual, 'rotation-overdue', { versions: new Map([[manual.arn, { error: 'look-up failed: AccessDeniedException (HTTP 400)' }]]) });
      expect(finding).toMatchObject({ severity: 'HIGH', details: { currentValueSource: 'CreatedDate', ageDays: 200, versionLookup: 'look-up failed: AccessDeniedException (HTTP 400)' } });
    });

    test('no AWSCURRENT version, or one dated after the moment judged: the baseline stands', () => {
      expect(only(manual, 'rotation-overdue', { versions: new Map([[manual.arn, { createdMs: null }]]) })?.details.currentValueSource).toBe('CreatedDate');
      expect(only(manual, 'rotation-overdue', { versions: new Map([[manual.arn, { createdMs: NOW_MS + HOUR }]]) })?.details.currentValueSource).toBe('CreatedDate');
    });
  });

  test('only secrets that look overdue and changed after their baseline are looked up', () => {
    const ctx = { config: DEFAULT_CONFIG, now: NOW };
    const untouched = secret({ createdMs: NOW_MS - 200 * DAY, lastChangedMs: NOW_MS - 200 * DAY });
    const noChangeDate = secret({ createdMs: NOW_MS - 200 * DAY });
    const young = secret({ createdMs: NOW_MS - 30 * DAY, lastChangedMs: NOW_MS - DAY });
    const exempt = secret({ createdMs: NOW_MS - 200 * DAY, lastChangedMs: NOW_MS - DAY, tags: { 'secretwatch:exempt': 'vendor key' } });
    const deleting = secret({ createdMs: NOW_MS - 200 * DAY, lastChangedMs: NOW_MS - DAY, deletedMs: NOW_MS - DAY });
    const replica = secret({ createdMs: NOW_MS - 200 * DAY, lastChangedMs: NOW_MS - DAY, primaryRegion: 'us-east-1' });
    const changed = secret({ createdMs: NOW_MS - 200 * DAY, lastChangedMs: NOW_MS - DAY });
    expect(secretsToLookUp([untouched, noChangeDate, young, exempt, deleting, replica, changed], ctx)).toEqual([noChangeDate, changed]);
  });

  test('a replica is judged in its primary region only; the primary itself is judged', () => {
    const old = { createdMs: NOW_MS - 200 * DAY };
    // A replica is kept for failover: neither its rotation nor its reads are judged here.
    expect(verdicts(secret({ ...old, primaryRegion: 'us-east-1' }))).toEqual([]);
    expect(verdicts(secret({ ...old, primaryRegion: 'eu-west-1' }))).toEqual(['rotation-not-enabled MEDIUM', 'rotation-overdue HIGH', 'secret-unused LOW']);
  });
});

describe('rotation-missed', () => {
  const due = (hoursAgo: number) => rotating(30, 30 + hoursAgo / 24, { nextRotationMs: NOW_MS - hoursAgo * HOUR });

  test.each([
    ['due in the future', -5, null],
    ['due 23 hours ago: within the 24-hour window', 23, null],
    ['due exactly 24 hours ago', 24, null],
    ['due 25 hours ago', 25, 'HIGH'],
  ])('%s', (_label, hoursAgo, severity) => {
    expect(only(due(hoursAgo), 'rotation-missed')?.severity ?? null).toBe(severity);
  });

  test('says when it was due, how late it is and where the function logs', () => {
    const s = rotating(30, 40, { name: 'prod/api', nextRotationMs: NOW_MS - 10 * DAY });
    expect(only(s, 'rotation-missed')).toMatchObject({
      severity: 'HIGH',
      title: 'Secret prod/api missed its rotation due 2024-05-22 (10 days late)',
      details: { nextRotationDate: '2024-05-22T00:00:00Z', hoursLate: 240, logGroup: '/aws/lambda/rotator', nonCompliantSince: '2024-05-23T00:00:00Z' },
      remediation: expect.stringContaining('aws logs tail /aws/lambda/rotator --since 2d --region eu-west-1'),
    });
  });

  test('rotation off: a stale NextRotationDate means nothing', () => {
    expect(only(secret({ nextRotationMs: NOW_MS - 10 * DAY }), 'rotation-missed')).toBeUndefined();
  });
});

describe('rotation-not-enabled', () => {
  test('rotation off: MEDIUM, non-compliant since creation, or since its last rotation', () => {
    const s = secret({ createdMs: NOW_MS - 5 * DAY });
    expect(only(s, 'rotation-not-enabled')).toMatchObject({ severity: 'MEDIUM', details: { nonCompliantSince: '2024-05-27T00:00:00Z', lastRotatedDate: null } });
    expect(only(s, 'rotation-not-enabled')?.remediation).toContain('--tags Key=secretwatch:exempt,Value=<reason>');
    const was = secret({ createdMs: NOW_MS - 300 * DAY, lastRotatedMs: NOW_MS - 40 * DAY });
    expect(only(was, 'rotation-not-enabled')?.details.nonCompliantSince).toBe('2024-04-22T00:00:00Z');
  });

  test('a secret managed by another service follows that service: not reported, not unused', () => {
    expect(verdicts(secret({ name: 'rds!db-1234', owningService: 'rds', createdMs: NOW_MS - 20 * DAY }))).toEqual([]);
  });
});

describe("a managed secret's own schedule is its limit", () => {
  const rds = (agoDays: number) => rotating(7, agoDays, { name: 'rds!db-1', owningService: 'rds', nextRotationMs: NOW_MS + DAY });

  test('RDS rotating every 7 days: 8 days of age is fine (a day of slack), 9 is overdue', () => {
    expect(only(rds(8), 'rotation-overdue')).toBeUndefined();
    expect(only(rds(9), 'rotation-overdue')).toMatchObject({ severity: 'MEDIUM', details: { maxRotationDays: 8, maxRotationDaysSource: 'owning service schedule', owningService: 'rds' } });
  });
});

describe('secret-unused', () => {
  test.each([
    ['read 90 days ago', { lastAccessedMs: NOW_MS - 90 * DAY }, null],
    ['read 91 days ago', { lastAccessedMs: NOW_MS - 91 * DAY }, 'Secret app/x has not been read for 91 days'],
    ['never read, created 91 days ago', { lastAccessedMs: null, createdMs: NOW_MS - 91 * DAY }, 'Secret app/x has never been read in the 91 days since it was created'],
  ])('%s', (_label, dates, title) => {
    const finding = only(secret({ name: 'app/x', createdMs: NOW_MS - 300 * DAY, ...dates }), 'secret-unused');
    expect(finding?.title ?? null).toBe(title);
    if (finding) expect(finding.remediation).toContain('--recovery-window-in-days 30');
  });

  test('unusedDays is the limit', () => {
    expect(only(secret({ lastAccessedMs: NOW_MS - 8 * DAY }), 'secret-unused', { config: { unusedDays: 7 } })?.details).toMatchObject({ daysUnused: 8, unusedDays: 7 });
  });
});

describe('secret-default-kms-key', () => {
  test('only when requireCustomerManagedKey is on', () => {
    expect(only(secret(), 'secret-default-kms-key')).toBeUndefined();
    expect(only(secret(), 'secret-default-kms-key', { config: { requireCustomerManagedKey: true } })).toMatchObject({ severity: 'LOW', details: { kmsKeyId: null } });
  });

  test('the aws/secretsmanager alias is the default key too; a customer key is not reported', () => {
    const on = { config: { requireCustomerManagedKey: true } };
    expect(only(secret({ kmsKeyId: 'alias/aws/secretsmanager' }), 'secret-default-kms-key', on)).toBeDefined();
    expect(only(secret({ kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }), 'secret-default-kms-key', on)).toBeUndefined();
  });
});

describe('tags', () => {
  const old = (tags: Record<string, string>) => secret({ name: 'app/tagged', createdMs: NOW_MS - 40 * DAY, lastAccessedMs: NOW_MS, tags });

  test('secretwatch:max-rotation-days overrides maxRotationDays for one secret', () => {
    expect(only(old({ 'secretwatch:max-rotation-days': '30' }), 'rotation-overdue')).toMatchObject({ details: { maxRotationDays: 30, maxRotationDaysSource: 'tag' } });
    expect(only(old({ 'secretwatch:max-rotation-days': ' 45 ' }), 'rotation-overdue')).toBeUndefined();
    expect(only(old({ 'SecretWatch:Max-Rotation-Days': '30' }), 'rotation-overdue')).toBeDefined();
  });

  test.each(['abc', '0', '3651', '1.5', '', '30 days', '-5'])('a bad value %j is reported, and maxRotationDays applies', (value) => {
    const s = old({ 'secretwatch:max-rotation-days': value });
    const result = run([s], { config: { maxRotationDays: 35 } });
    expect(result.issues).toEqual([
      { arn: s.arn, name: 'app/tagged', tag: 'secretwatch:max-rotation-days', value, message: 'not a whole number of days from 1 to 3650; maxRotationDays (35) applies' },
    ]);
    expect(result.findings.find((f) => f.check === 'rotation-overdue')).toMatchObject({ details: { maxRotationDays: 35, maxRotationDaysSource: 'config' } });
  });

  test.each(['true', '', 'vendor API key, rotated by the vendor'])('secretwatch:exempt=%j exempts from every scan check; the secret still counts', (value) => {
    const result = run([secret({ createdMs: NOW_MS - 500 * DAY, tags: { 'secretwatch:exempt': value } })], { config: { requireCustomerManagedKey: true } });
    expect(result.findings).toEqual([]);
    expect(result.counts).toMatchObject({ secrets: 1, exempt: 1 });
  });
});

describe('the inventory as a whole', () => {
  test('secrets pending deletion are counted, not judged', () => {
    const result = run([secret({ createdMs: NOW_MS - 500 * DAY, deletedMs: NOW_MS - DAY }), secret()]);
    expect(result.counts).toEqual({
      secrets: 2,
      exempt: 0,
      pendingDeletion: 1,
      notYetCreated: 0,
      byCheck: { 'rotation-overdue': 0, 'rotation-not-enabled': 1, 'rotation-missed': 0, 'secret-unused': 0, 'secret-default-kms-key': 0 },
      byGauge: { RotationOverdue: 0, RotationNotEnabled: 1, RotationMissed: 0, Unused: 0 },
    });
  });

  test('judged as of a day before a secret existed: not judged', () => {
    const result = run([secret({ createdMs: NOW_MS - 5 * DAY })], { now: new Date(NOW_MS - 10 * DAY) });
    expect(result).toMatchObject({ findings: [], counts: { notYetCreated: 1 } });
  });

  test('every finding is a scan finding: no event, no actor, and the date it became non-compliant', () => {
    const result = run([secret({ createdMs: NOW_MS - 500 * DAY, lastChangedMs: null }), rotating(30, 60, { nextRotationMs: NOW_MS - 30 * DAY })], {
      config: { requireCustomerManagedKey: true },
    });
    expect(result.findings.map((f) => f.check).sort()).toEqual(['rotation-missed', 'rotation-not-enabled', 'rotation-overdue', 'secret-default-kms-key', 'secret-default-kms-key', 'secret-unused']);
    for (const f of result.findings) {
      expect(Object.keys(f)).toEqual(FINDING_KEYS);
      expect(f).toMatchObject({ event: null, actor: null, account: '111122223333', region: 'eu-west-1' });
      expect(typeof f.details.nonCompliantSince).toBe('string');
      expect(Date.parse(f.details.nonCompliantSince as string)).toBeLessThan(NOW_MS);
    }
  });
});

describe('--as-of: scheduled rotations are assumed to happen', () => {
  const asOf = new Date(NOW_MS + 200 * DAY);

  function projected(secrets: InventorySecret[]) {
    const p = projectRotations(secrets, NOW_MS, asOf.getTime());
    return { p, result: run(p.secrets, { now: asOf, projected: p.projected }) };
  }

  test('a healthy 30-day schedule keeps the secret compliant 200 days ahead', () => {
    const s = rotating(30, 20);
    const { p, result } = projected([s]);
    expect(p.projected).toEqual(new Set([s.arn]));
    expect(p.secrets[0].lastRotatedMs).toBe(s.nextRotationMs! + 6 * 30 * DAY);
    expect(p.secrets[0].nextRotationMs).toBe(s.nextRotationMs! + 7 * 30 * DAY);
    expect(result.findings.filter((f) => f.check.startsWith('rotation'))).toEqual([]);
  });

  test('a rotation already missed stays missed and grows old', () => {
    const { p, result } = projected([rotating(30, 60, { nextRotationMs: NOW_MS - 30 * DAY })]);
    expect(p.projected.size).toBe(0);
    expect(result.findings.map((f) => `${f.check} ${f.severity}`).sort()).toEqual(['rotation-missed HIGH', 'rotation-overdue HIGH', 'secret-unused LOW']);
  });

  test('a monthly cron schedule is followed firing by firing; the findings say they were projected', () => {
    const s = rotating(30, 10, { rotationRules: { scheduleExpression: 'cron(0 4 1 * ? *)' }, nextRotationMs: Date.parse('2024-07-01T04:00:00Z'), lastAccessedMs: NOW_MS });
    const { p, result } = projected([s]);
    expect(new Date(p.secrets[0].lastRotatedMs!).toISOString()).toBe('2024-12-01T04:00:00.000Z');
    expect(new Date(p.secrets[0].nextRotationMs!).toISOString()).toBe('2025-01-01T04:00:00.000Z');
    expect(result.findings.map((f) => f.check)).toEqual(['secret-unused']);
    expect(result.findings[0].details.projected).toMatch(/assumed/);
  });

  test('no rotation, or an unreadable schedule: nothing is assumed', () => {
    const { p } = projected([secret(), rotating(30, 10, { rotationRules: { scheduleExpression: 'rate(sometimes)' } })]);
    expect(p.projected.size).toBe(0);
  });

  test('an --as-of in the past projects nothing', () => {
    expect(projectRotations([rotating(30, 10)], NOW_MS, NOW_MS - DAY).projected.size).toBe(0);
  });
});
