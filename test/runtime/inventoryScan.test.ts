import 'aws-sdk-client-mock-jest';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockDeliveryClients } from '../helpers/deliveryMocks';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config';
import { silentLog, type Log } from '../../src/delivery/log';
import type { Digest } from '../../src/findings/digest';
import { createInventoryClient } from '../../src/inventory/client';
import { handleInventoryScan, scanTime } from '../../src/runtime/inventoryScan';
import { FakeSecretsManager, type FakeSecret } from '../helpers/fakeSecretsManager';

const { cw, sns, eb, clients, succeedAll } = mockDeliveryClients();
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:secretwatch-alerts';
const DAY_S = 86_400;
// A Tuesday: no full digest unless asked for.
const SCHEDULED = '2024-06-04T06:00:00Z';
const T = Date.parse(SCHEDULED) / 1000;

const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}-AbCdEf`;

/** A small account: stale, freshly created, rotating, missed, exempt, pending deletion, manually changed. */
const SECRETS: FakeSecret[] = [
  { ARN: arn('stale'), Name: 'stale', CreatedDate: T - 200 * DAY_S, LastChangedDate: T - 200 * DAY_S, LastAccessedDate: T - DAY_S },
  // Created 3 hours before the scan: not rotated, new in this scan's window.
  { ARN: arn('fresh'), Name: 'fresh', CreatedDate: T - 3 * 3600, LastAccessedDate: T - 3600 },
  {
    ARN: arn('rotating'),
    Name: 'rotating',
    CreatedDate: T - 300 * DAY_S,
    RotationEnabled: true,
    RotationRules: { AutomaticallyAfterDays: 30 },
    RotationLambdaARN: 'arn:aws:lambda:eu-west-1:111122223333:function:rotator',
    LastRotatedDate: T - 10 * DAY_S,
    LastChangedDate: T - 10 * DAY_S,
    NextRotationDate: T + 20 * DAY_S,
    LastAccessedDate: T - DAY_S,
  },
  // Its rotation was due 25 hours ago: missed one hour ago, inside this scan's window.
  {
    ARN: arn('missed'),
    Name: 'missed',
    CreatedDate: T - 300 * DAY_S,
    RotationEnabled: true,
    RotationRules: { AutomaticallyAfterDays: 30 },
    RotationLambdaARN: 'arn:aws:lambda:eu-west-1:111122223333:function:rotator',
    LastRotatedDate: T - 31 * DAY_S - 3600,
    LastChangedDate: T - 31 * DAY_S - 3600,
    NextRotationDate: T - 25 * 3600,
    LastAccessedDate: T - DAY_S,
  },
  { ARN: arn('vendor'), Name: 'vendor', CreatedDate: T - 900 * DAY_S, Tags: [{ Key: 'secretwatch:exempt', Value: 'rotated by the vendor' }] },
  { ARN: arn('leaving'), Name: 'leaving', CreatedDate: T - 900 * DAY_S, DeletedDate: T - DAY_S },
  // Created long ago, value put by hand 5 days ago: looks overdue until its version is read.
  { ARN: arn('manual'), Name: 'manual', CreatedDate: T - 400 * DAY_S, LastChangedDate: T - 5 * DAY_S, LastAccessedDate: T - DAY_S },
];

function recordingLog(): Log & { lines: { level: string; message: string; extra: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push({ level, message, extra: Object.assign({}, ...extra) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function deps(overrides: { config?: Partial<Config>; fake?: FakeSecretsManager; log?: Log; realNow?: Date } = {}) {
  const fake = overrides.fake ?? new FakeSecretsManager(SECRETS, { currentVersionDates: new Map([[arn('manual'), T - 5 * DAY_S]]) });
  const inventory = createInventoryClient({
    region: 'eu-west-1',
    requestHandler: fake.handler as never,
    credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' },
    rateLimits: { ListSecrets: 1e6, ListSecretVersionIds: 1e6 },
  });
  return {
    fake,
    deps: {
      config: { ...DEFAULT_CONFIG, alertTopicArn: TOPIC, findingsBusName: 'secretwatch-findings', ...overrides.config },
      inventory,
      clients,
      log: overrides.log ?? silentLog,
      region: 'eu-west-1',
      now: () => overrides.realNow ?? new Date(Date.parse(SCHEDULED) + 42_000),
    },
  };
}

const scheduledEvent = { version: '0', id: 'e-1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '111122223333', time: SCHEDULED, region: 'eu-west-1', resources: [], detail: {} };

function publishedDigest(): Digest {
  const input = sns.commandCalls(PublishCommand)[0].args[0].input;
  return JSON.parse((JSON.parse(input.Message as string) as { default: string }).default) as Digest;
}

beforeEach(succeedAll);

test('a scheduled scan: gauges in one PutMetricData, a digest of what is new, every finding on the bus', async () => {
  const log = recordingLog();
  const { deps: d, fake } = deps({ log });

  const result = await handleInventoryScan(scheduledEvent, d);

  expect(result).toEqual({
    status: 'completed',
    scannedAt: SCHEDULED.replace('Z', '.000Z'),
    secrets: 7,
    findings: 5,
    newFindings: 2,
    digest: 'new',
    calls: { ListSecrets: 1, ListSecretVersionIds: 1 },
    delivery: { metricCalls: 1, metricsFailed: false, digestPublished: true, putOnBus: 5 },
  });
  // ceil(7/100) ListSecrets, one look-up (the manually changed secret), nothing else.
  expect(fake.requests.map((r) => r.target)).toEqual(['ListSecrets', 'ListSecretVersionIds']);
  expect(fake.requests[1].input.SecretId).toBe(arn('manual'));

  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  const metrics = cw.commandCalls(PutMetricDataCommand)[0].args[0].input;
  expect(metrics.Namespace).toBe('SecretWatch');
  const values = Object.fromEntries((metrics.MetricData ?? []).map((m) => [[m.MetricName, ...(m.Dimensions ?? []).map((x) => x.Value)].join(' '), m.Value]));
  expect(values).toEqual({
    Secrets: 7,
    RotationOverdue: 1,
    RotationNotEnabled: 3,
    RotationMissed: 1,
    Unused: 0,
    PendingDeletion: 1,
    ScanCompleted: 1,
    // The new findings, counted like event findings.
    'Findings HIGH': 1,
    'Findings MEDIUM': 1,
  });
  for (const datum of metrics.MetricData ?? []) expect(datum.Timestamp).toEqual(new Date(SCHEDULED));

  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  const digest = publishedDigest();
  expect(digest).toMatchObject({
    scope: 'new',
    account: '111122223333',
    region: 'eu-west-1',
    secrets: 7,
    findings: 5,
    newFindings: 2,
    window: { from: '2024-06-03T06:00:00Z', to: '2024-06-04T06:00:00Z' },
  });
  expect(digest.entries.map((e) => `${e.severity} ${e.check} ${e.secret}`)).toEqual(['HIGH rotation-missed missed', 'MEDIUM rotation-not-enabled fresh']);
  expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toBe('[HIGH] SecretWatch scan 111122223333 eu-west-1: 2 new finding(s)');

  const onBus = eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
  expect(onBus.map((e) => (JSON.parse(e.Detail as string) as { check: string }).check).sort()).toEqual([
    'rotation-missed',
    'rotation-not-enabled',
    'rotation-not-enabled',
    'rotation-not-enabled',
    'rotation-overdue',
  ]);

  const summary = log.lines.find((l) => l.message === 'scan completed');
  expect(summary?.extra).toMatchObject({
    secrets: 7,
    exempt: 1,
    pendingDeletion: 1,
    findings: 5,
    newFindings: 2,
    calls: { ListSecrets: 1, ListSecretVersionIds: 1 },
    versionLookups: { requested: 1, failed: 0, notMade: 0 },
  });
  expect(log.lines.filter((l) => l.message === 'finding')).toHaveLength(2);
});

test('nothing new and not the weekly day: no notification, but the gauges and the bus as always', async () => {
  const { deps: d } = deps();
  const result = await handleInventoryScan({ ...scheduledEvent, time: '2024-06-05T06:00:00Z' }, { ...d, now: () => new Date('2024-06-05T06:00:30Z') });
  expect(result).toMatchObject({ status: 'completed', newFindings: 0, digest: null, delivery: { digestPublished: false, putOnBus: 5 } });
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
});

test('new findings below notifyMinSeverity do not make a notification', async () => {
  const { deps: d } = deps({ config: { notifyMinSeverity: 'CRITICAL' } });
  const result = await handleInventoryScan(scheduledEvent, d);
  expect(result).toMatchObject({ newFindings: 2, digest: null });
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
});

test('the scan covering midnight starting fullDigestWeekday sends the full digest instead', async () => {
  const { deps: d } = deps({ config: { fullDigestWeekday: 'TUESDAY' } });
  const result = await handleInventoryScan(scheduledEvent, d);
  expect(result).toMatchObject({ digest: 'full' });
  const digest = publishedDigest();
  expect(digest.scope).toBe('full');
  expect(digest.entries).toHaveLength(5);
  expect(
    digest.entries
      .filter((e) => e.isNew)
      .map((e) => e.secret)
      .sort(),
  ).toEqual(['fresh', 'missed']);
});

test('{"fullDigest": true} asks for the full digest now (after the first deploy, say)', async () => {
  const { deps: d } = deps();
  expect(await handleInventoryScan({ fullDigest: true }, d)).toMatchObject({ status: 'completed', digest: 'full' });
});

test('a request that is not a scan request is counted in InvalidEvents and not retried', async () => {
  const log = recordingLog();
  const { deps: d, fake } = deps({ log });
  const result = await handleInventoryScan({ fullDigest: 'yes' }, d);
  expect(result).toEqual({ status: 'invalid', reason: 'fullDigest: Invalid input: expected boolean, received string' });
  expect(fake.requests).toEqual([]);
  expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData).toMatchObject([{ MetricName: 'InvalidEvents', Value: 1 }]);
  expect(log.lines.find((l) => l.level === 'error')?.message).toBe('invalid scan request: not processed, not retried');
  expect(await handleInventoryScan([1, 2], d)).toMatchObject({ status: 'invalid' });
});

test('a metrics failure is logged and blocks nothing', async () => {
  cw.on(PutMetricDataCommand).rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));
  const log = recordingLog();
  const { deps: d } = deps({ log });
  const result = await handleInventoryScan(scheduledEvent, d);
  expect(result).toMatchObject({ status: 'completed', delivery: { metricsFailed: true, digestPublished: true, putOnBus: 5 } });
  expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['metrics not published; notifications go on']);
});

test('a digest or bus failure fails the invocation, after everything else was delivered', async () => {
  sns.on(PublishCommand).rejects(Object.assign(new Error('no such topic'), { name: 'NotFoundException' }));
  const { deps: d } = deps();
  await expect(handleInventoryScan(scheduledEvent, d)).rejects.toMatchObject({ name: 'NotificationError' });
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);

  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
  await expect(handleInventoryScan(scheduledEvent, deps().deps)).rejects.toThrow(/notification\(s\) of the scan failed/);
});

test('an inventory that cannot be listed fails the invocation, and nothing is delivered', async () => {
  const fake = new FakeSecretsManager(SECRETS, { listErrors: [[400, 'AccessDeniedException']] });
  await expect(handleInventoryScan(scheduledEvent, deps({ fake }).deps)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 0);
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 0);
});

test('failed version look-ups are logged; those secrets are judged by their ListSecrets dates', async () => {
  const log = recordingLog();
  const fake = new FakeSecretsManager(SECRETS, { versionErrors: new Map([[arn('manual'), [400, 'AccessDeniedException']]]) });
  const result = await handleInventoryScan(scheduledEvent, deps({ fake, log }).deps);
  // The manually changed secret now counts from its creation, 400 days ago.
  expect(result).toMatchObject({ findings: 6 });
  expect(log.lines.find((l) => l.level === 'warn')).toMatchObject({ extra: { requested: 1, failed: 1, notMade: 0 } });
});

test('bad tag values are logged as warnings', async () => {
  const log = recordingLog();
  const fake = new FakeSecretsManager([{ ARN: arn('tagged'), Name: 'tagged', CreatedDate: T - DAY_S, Tags: [{ Key: 'secretwatch:max-rotation-days', Value: 'ninety' }] }]);
  await handleInventoryScan(scheduledEvent, deps({ fake, log }).deps);
  expect(log.lines.find((l) => l.message === 'tag value not usable')?.extra).toMatchObject({ name: 'tagged', tag: 'secretwatch:max-rotation-days', value: 'ninety' });
});

describe('the scan clock', () => {
  const real = new Date('2024-06-04T06:00:42.123Z');

  test('the scheduled time of the event, to the minute: a retried invocation judges the same window', () => {
    expect(scanTime('2024-06-04T06:00:00Z', real).toISOString()).toBe('2024-06-04T06:00:00.000Z');
    expect(scanTime('2024-06-04T03:00:00Z', real).toISOString()).toBe('2024-06-04T03:00:00.000Z');
  });

  test('no time, a bad time, one from the future or from long ago: the real clock, to the minute', () => {
    for (const time of [undefined, 'yesterday', '2024-06-04T07:00:00Z', '2024-05-01T00:00:00Z']) expect(scanTime(time, real).toISOString()).toBe('2024-06-04T06:00:00.000Z');
  });
});
