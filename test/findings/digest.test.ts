import { makeFinding } from '../helpers/findings';
import { evaluateInventory } from '../../src/checks/inventory/evaluate';
import { DEFAULT_CONFIG, WEEKDAYS, type Config } from '../../src/config/config';
import { digestPublishInput, digestSubject } from '../../src/delivery/digest';
import { MAX_MESSAGE_BYTES } from '../../src/delivery/sns';
import { buildDigest, digestText, isFullDigestScan, isNewInWindow, scanWindow, type Digest } from '../../src/findings/digest';
import { parseAlertMessage } from '../../src/findings/schema';
import type { Finding } from '../../src/findings/finding';
import type { InventorySecret } from '../../src/resources/secret';
import { DAY, HOUR, NOW, NOW_MS, rotating, secret } from '../helpers/inventory';
import { seededRandom } from '../helpers/random';

const SIM_DAYS = 200;

/**
 * 400 secrets in every state the checks know, with dates spread from 400 days before the first
 * scan to the last day of the simulation (secrets created while it runs too). The inventory is
 * fixed; the clock moves, so each secret crosses its thresholds at its own moment.
 */
function inventory(): InventorySecret[] {
  const rand = seededRandom(20240601);
  const at = (fromDay: number, toDay: number) => NOW_MS + Math.floor((fromDay + rand() * (toDay - fromDay)) * DAY) + Math.floor(rand() * 3600) * 1000;
  const out: InventorySecret[] = [];
  for (let i = 0; i < 400; i++) {
    const kind = i % 8;
    const created = at(-400, SIM_DAYS);
    if (kind === 0) out.push(secret({ createdMs: created }));
    else if (kind === 1) out.push(secret({ createdMs: created, lastAccessedMs: Math.min(created + at(0, 100) - NOW_MS, NOW_MS + SIM_DAYS * DAY) }));
    else if (kind === 2) out.push(secret({ createdMs: created, tags: { 'secretwatch:max-rotation-days': String(5 + Math.floor(rand() * 60)) } }));
    else if (kind === 3) {
      const days = [7, 30, 90][i % 3];
      const last = at(-200, 0);
      out.push(rotating(days, 0, { createdMs: last - 10 * DAY, lastRotatedMs: last, lastChangedMs: last, nextRotationMs: last + days * DAY, lastAccessedMs: last }));
    } else if (kind === 4) out.push(secret({ createdMs: created, tags: { 'secretwatch:exempt': 'yes' } }));
    else if (kind === 5) out.push(secret({ createdMs: created, deletedMs: created + DAY }));
    else if (kind === 6) {
      const last = at(-300, -10);
      out.push(rotating(7, 0, { name: `rds!db-${i}`, owningService: 'rds', createdMs: last - DAY, lastRotatedMs: last, lastChangedMs: last, nextRotationMs: last + 7 * DAY, lastAccessedMs: last }));
    } else out.push(secret({ createdMs: created, kmsKeyId: i % 16 === 7 ? 'alias/aws/secretsmanager' : 'arn:aws:kms:eu-west-1:111122223333:key/k' }));
  }
  return out;
}

const key = (f: Finding) => `${f.secret?.arn} ${f.check}`;

describe.each([24, 12, 168])('"new since the previous scan", scanning every %i hours for 200 days', (hours) => {
  const config: Config = { ...DEFAULT_CONFIG, scanIntervalHours: hours, requireCustomerManagedKey: true };
  const secrets = inventory();
  const scans = Math.floor((SIM_DAYS * 24) / hours);
  /** (secret, check) -> the scans whose digest listed it as new */
  const reported = new Map<string, number[]>();
  /** (secret, check) -> its nonCompliantSince and the first scan that found it */
  const seen = new Map<string, { since: number; firstScan: number }>();
  const fullDigestScans: number[] = [];

  for (let k = 0; k <= scans; k++) {
    const now = new Date(NOW_MS + k * hours * HOUR);
    const window = scanWindow(now, hours);
    const { findings } = evaluateInventory(secrets, { config, now });
    for (const f of findings) {
      if (!seen.has(key(f))) seen.set(key(f), { since: Date.parse(f.details.nonCompliantSince as string), firstScan: k });
      if (isNewInWindow(f, window)) reported.set(key(f), [...(reported.get(key(f)) ?? []), k]);
    }
    if (isFullDigestScan(window, config.fullDigestWeekday)) fullDigestScans.push(k);
  }

  test('the simulation covers every scan check, and many crossings', () => {
    const checks = new Set([...seen.keys()].map((k) => k.split(' ')[1]));
    expect([...checks].sort()).toEqual(['rotation-missed', 'rotation-not-enabled', 'rotation-overdue', 'secret-default-kms-key', 'secret-unused']);
    expect(reported.size).toBeGreaterThan(300);
  });

  test('each (secret, check) that crossed its threshold while scans ran is in exactly one digest: the first scan that found it', () => {
    const firstWindowStart = NOW_MS - hours * HOUR;
    for (const [k, { since, firstScan }] of seen) {
      const expected = since >= firstWindowStart ? [firstScan] : [];
      expect({ finding: k, digests: reported.get(k) ?? [] }).toEqual({ finding: k, digests: expected });
    }
  });

  test('so a secret with one problem is in exactly one digest, and never again (one digest per problem otherwise)', () => {
    const bySecret = new Map<string, Set<number>>();
    const checksOf = new Map<string, Set<string>>();
    for (const [k, digests] of reported) {
      const [arn, check] = k.split(' ');
      bySecret.set(arn, new Set([...(bySecret.get(arn) ?? []), ...digests]));
      checksOf.set(arn, new Set([...(checksOf.get(arn) ?? []), check]));
    }
    const single = [...checksOf].filter(([, checks]) => checks.size === 1).map(([arn]) => arn);
    expect(single.length).toBeGreaterThanOrEqual(10);
    for (const arn of single) expect({ arn, digests: bySecret.get(arn)?.size }).toEqual({ arn, digests: 1 });
    for (const [arn, checks] of checksOf) expect(bySecret.get(arn)?.size).toBeLessThanOrEqual(checks.size);
  });

  test('one full digest a week, on the scan that covers midnight starting Monday', () => {
    const days = fullDigestScans.map((k) => (k * hours) / 24);
    for (let i = 1; i < days.length; i++) expect(days[i] - days[i - 1]).toBe(7);
    let mondays = 0;
    for (let m = Math.ceil((NOW_MS - hours * HOUR) / DAY) * DAY; m < NOW_MS + scans * hours * HOUR; m += DAY) if (new Date(m).getUTCDay() === 1) mondays++;
    expect(days.length).toBe(mondays);
    expect(days.length).toBeGreaterThanOrEqual(28);
    for (const k of fullDigestScans) {
      const window = scanWindow(new Date(NOW_MS + k * hours * HOUR), hours);
      const mondays = [];
      for (let m = Math.ceil(window.fromMs / DAY) * DAY; m < window.toMs; m += DAY) if (new Date(m).getUTCDay() === 1) mondays.push(m);
      expect(mondays).toHaveLength(1);
    }
  });
});

describe('the weekly digest day', () => {
  test.each(WEEKDAYS.map((d, i) => [d, i] as const))('%s: the daily scan at midnight covering its start', (day, index) => {
    // 2024-06-02 is a Sunday (getUTCDay 0).
    const sunday = Date.parse('2024-06-02T00:00:00Z');
    const hits = [];
    for (let d = 0; d < 14; d++) if (isFullDigestScan(scanWindow(new Date(sunday + d * DAY + 6 * HOUR), 24), day)) hits.push(d);
    // A scan at 06:00 covers the previous midnight: the 06:00 scan of that day itself.
    expect(hits).toEqual([index, index + 7]);
  });
});

describe('the digest notification', () => {
  function findingOf(i: number, severity: Finding['severity'] = 'MEDIUM'): Finding {
    const name = `team-${i % 50}/service-${i}/database-credentials`;
    return makeFinding({
      check: 'rotation-overdue',
      severity,
      title: `Secret ${name} was last rotated 120 days ago (limit 90 days)`,
      secret: { arn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}-AbCdEf`, name, id: null },
      account: '111122223333',
      region: 'eu-west-1',
      actor: null,
      event: null,
      details: { nonCompliantSince: new Date(NOW_MS - (i % 1000) * HOUR).toISOString().replace('.000Z', 'Z') },
      remediation: 'Rotate it.',
    });
  }

  function digestOf(findings: Finding[], newOnes: Finding[], scope: Digest['scope'], min: Finding['severity'] = 'LOW'): Digest {
    return buildDigest({ findings, newFindings: new Set(newOnes), scope, secrets: 50_000, account: '111122223333', region: 'eu-west-1', window: scanWindow(NOW, 24), notifyMinSeverity: min });
  }

  test('a "new" digest lists only the new findings at or above the threshold, most severe and oldest first', () => {
    const all = [findingOf(1, 'LOW'), findingOf(2, 'HIGH'), findingOf(3), findingOf(4, 'HIGH')];
    const digest = digestOf(all, [all[0], all[1], all[2]], 'new', 'MEDIUM');
    expect(digest.entries.map((e) => [e.severity, e.secret])).toEqual([
      ['HIGH', 'team-2/service-2/database-credentials'],
      ['MEDIUM', 'team-3/service-3/database-credentials'],
    ]);
    expect(digest).toMatchObject({ findings: 4, newFindings: 3, bySeverity: { HIGH: 2, MEDIUM: 1, LOW: 1 }, byCheck: { 'rotation-overdue': 4 } });
    const text = digestText(digest);
    expect(text).toContain('3 finding(s) new since the previous scan (2024-05-31 00:00 UTC); 4 in all on 50000 secret(s)');
    expect(text).toContain('HIGH     rotation-overdue         Secret team-2/service-2/database-credentials');
  });

  test('the full digest lists everything and marks the new ones', () => {
    const all = [findingOf(1), findingOf(2)];
    const text = digestText(digestOf(all, [all[1]], 'full'));
    expect(text).toMatch(/^Weekly SecretWatch digest for 111122223333 eu-west-1: 2 finding\(s\) on 50000 secret\(s\), 1 new/);
    expect(text).toContain('[new] Secret team-2/');
    expect(digestText(digestOf([], [], 'full'))).toContain('No findings: every secret is compliant.');
  });

  test('50,000 findings fit one SNS message: the list is cut, the count of the rest is given', () => {
    const all = Array.from({ length: 50_000 }, (_, i) => findingOf(i, i % 10 === 0 ? 'HIGH' : 'MEDIUM'));
    const input = digestPublishInput('arn:aws:sns:eu-west-1:111122223333:alerts', digestOf(all, all, 'full'));
    expect(Buffer.byteLength(input.Message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const message = JSON.parse(input.Message) as { default: string; email: string };
    const digest = JSON.parse(message.default) as Digest;
    expect(digest.entries.length).toBeGreaterThan(50);
    expect(digest.entries.length + digest.omitted).toBe(50_000);
    expect(digest.entries.every((e) => e.severity === 'HIGH')).toBe(true);
    expect(message.email).toContain(`... and ${digest.omitted} more`);
    expect(input.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'HIGH' },
      check: { DataType: 'String', StringValue: 'scan-digest' },
      severityRank: { DataType: 'Number', StringValue: '4' },
    });
    expect(input.Subject).toBe('[HIGH] SecretWatch weekly digest 111122223333 eu-west-1: 50000 finding(s), 50000 new');
  });

  test('a central scan over several accounts: each line names its account, header and subject count the accounts', () => {
    const central = findingOf(1, 'HIGH');
    const memberArn = (central.resource.arn ?? '').replace('111122223333', '222233334444');
    const member: Finding = { ...findingOf(1, 'HIGH'), account: '222233334444', resource: { ...central.resource, arn: memberArn } };
    const digest = buildDigest({
      findings: [central, member],
      newFindings: new Set([central, member]),
      scope: 'new',
      secrets: 7,
      account: '111122223333',
      region: 'eu-west-1',
      accounts: 3,
      window: scanWindow(NOW, 24),
      notifyMinSeverity: 'LOW',
    });
    expect(digest.entries.map((e) => e.account).sort()).toEqual(['111122223333', '222233334444']);
    const text = digestText(digest);
    expect(text).toMatch(/^SecretWatch scan of 3 accounts in eu-west-1 \(central account 111122223333\): 2 finding\(s\) new/);
    // The same secret name in two accounts: the account tells them apart.
    expect(text).toContain('HIGH     rotation-overdue         111122223333 Secret team-1/service-1/database-credentials');
    expect(text).toContain('HIGH     rotation-overdue         222233334444 Secret team-1/service-1/database-credentials');
    expect(digestSubject(digest)).toBe('[HIGH] SecretWatch scan 3 accounts in eu-west-1: 2 new finding(s)');
    // One account: as before, no account column.
    expect(digestText(digestOf([central], [central], 'new'))).toContain('HIGH     rotation-overdue         Secret team-1/');
  });

  test('a digest published before accounts were counted still parses, as one account', () => {
    const digest = digestOf([findingOf(1)], [], 'full');
    const old = { ...digest, accounts: undefined, entries: digest.entries.map((e) => ({ ...e, account: undefined })) };
    const parsed = parseAlertMessage(JSON.stringify(old));
    expect(parsed).toMatchObject({ kind: 'digest', digest: { accounts: 1, entries: [{ account: null }] } });
  });

  test('subjects stay under 100 characters; an empty digest is INFO', () => {
    const digest = { ...digestOf([], [], 'new'), account: '111122223333'.repeat(8) };
    expect(digestSubject(digest).length).toBeLessThan(100);
    expect(digestPublishInput('arn:aws:sns:eu-west-1:111122223333:alerts', digestOf([], [], 'full')).MessageAttributes.severity.StringValue).toBe('INFO');
  });
});
