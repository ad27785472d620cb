/**
 * The inventory scan against moto_server holding 10,000 secrets in a known mix of states: the
 * inventoryScan handler module, loaded as Lambda loads it, and `secretwatch scan --endpoint`, both
 * in-process with the SDK pointed at moto. Their API calls are counted by SDK middleware the test
 * adds to every client they build; their gauges are read back from CloudWatch, the digest from an
 * SQS subscription of the alert topic, findings from a rule on the findings bus.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { handler as InventoryScanHandler } from '../../handlers/inventoryScan';
import { CONFIG_KEYS, envName, WEEKDAYS } from '../../src/config/config';
import type { Digest } from '../../src/findings/digest';
import type { Finding } from '../../src/findings/finding';
import type { InventoryScanResult } from '../../src/runtime/inventoryScan';
import type { runCli as RunCli } from '../helpers/cli';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages, setEnv } from './motoServer';
import { seededLaunch, type SeedSecret } from './seededMoto';

jest.setTimeout(180_000);

const DAY = 86_400;
const HOUR = 3_600;
/** The moment the inventory is built around (epoch seconds); the scans run seconds to a minute later. */
const T = Math.floor(Date.now() / 1000);
const LAMBDA = `arn:aws:lambda:${MOTO_REGION}:${MOTO_ACCOUNT}:function:rotator`;
const CMK = `arn:aws:kms:${MOTO_REGION}:${MOTO_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/**
 * The inventory, by category: what each one is, how many, and what the scan must say about it.
 * Dates of the "new" categories are hours inside the scan's 24-hour window, all others days outside it.
 */
const categories: { label: string; count: number; make: (i: number) => Omit<SeedSecret, 'name'> }[] = [
  // 2,500 rotating every 30 days, last rotated 1-29 days ago: compliant.
  { label: 'rotating', count: 2500, make: (i) => rotating(30, T - (1 + (i % 29)) * DAY, { lastAccessed: T - DAY }) },
  // 100 RDS-managed, rotating every 7 days: compliant, never "not enabled".
  { label: 'rds', count: 100, make: () => ({ ...rotating(7, T - 3 * DAY, { lastAccessed: T - DAY }), tags: [{ Key: 'aws:secretsmanager:owningService', Value: 'rds' }] }) },
  // 200 whose rotation was due 10 days ago: rotation-missed (HIGH), long known.
  { label: 'missed', count: 200, make: () => rotating(30, T - 40 * DAY, { lastAccessed: T - DAY }) },
  // 25 whose rotation was due 25-44 hours ago: missed 1-20 hours ago, new in this scan.
  { label: 'missed-today', count: 25, make: (i) => rotating(30, T - 30 * DAY - (25 + (i % 20)) * HOUR, { lastAccessed: T - DAY }) },
  // 2,000 without rotation, 2-81 days old: rotation-not-enabled only.
  { label: 'plain', count: 2000, make: (i) => plain(T - (2 + (i % 80)) * DAY, i < 5 ? { tags: [{ Key: 'secretwatch:max-rotation-days', Value: 'ninety' }] } : {}) },
  // 30 created 1-20 hours ago: rotation-not-enabled, new in this scan.
  { label: 'created-today', count: 30, make: (i) => plain(T - (1 + (i % 20)) * HOUR) },
  // 1,500 without rotation, 100-170 days old, never changed: rotation-overdue MEDIUM + not enabled.
  { label: 'stale', count: 1500, make: (i) => plain(T - (100 + (i % 71)) * DAY) },
  // 500 unrotated for 200-399 days, never read, on the default key: overdue HIGH, not enabled, unused, default key.
  { label: 'abandoned', count: 500, make: (i) => ({ created: T - (200 + (i % 200)) * DAY }) },
  // 40 that turned 90 days old 1-20 hours ago: rotation-overdue new in this scan (+ not enabled).
  { label: 'overdue-today', count: 40, make: (i) => plain(T - 90 * DAY - (1 + (i % 20)) * HOUR) },
  // 50 limited to 30 days by their tag, 32-59 days old: rotation-overdue MEDIUM (+ not enabled).
  { label: 'tag-30-days', count: 50, make: (i) => plain(T - (32 + (i % 28)) * DAY, { tags: [{ Key: 'secretwatch:max-rotation-days', Value: '30' }] }) },
  // 100 created 200 days ago, value put by hand 10 days ago: they look overdue, so their AWSCURRENT
  // version is looked up, and it is 10 days old: not overdue; not enabled.
  { label: 'manual', count: 100, make: () => plain(T - 200 * DAY, { lastChanged: T - 10 * DAY }) },
  // 500 exempt, 400 pending deletion: counted, not judged.
  { label: 'exempt', count: 500, make: () => ({ created: T - 300 * DAY, tags: [{ Key: 'secretwatch:exempt', Value: 'vendor-managed' }] }) },
  { label: 'deleting', count: 400, make: () => ({ created: T - 300 * DAY, deleted: T - 2 * DAY }) },
  // The rest: rotating, but not read for 120 days: secret-unused (LOW).
  { label: 'unread', count: 2055, make: () => rotating(30, T - 5 * DAY, { lastAccessed: T - 120 * DAY }) },
];

function rotating(days: number, lastRotated: number, extra: Partial<SeedSecret> = {}): Omit<SeedSecret, 'name'> {
  return { created: T - 400 * DAY, lastChanged: lastRotated, kmsKeyId: CMK, rotation: { days, lambdaArn: LAMBDA, lastRotated, next: lastRotated + days * DAY }, ...extra };
}

function plain(created: number, extra: Partial<SeedSecret> = {}): Omit<SeedSecret, 'name'> {
  return { created, lastChanged: created, lastAccessed: T - DAY, kmsKeyId: CMK, ...extra };
}

const secrets: SeedSecret[] = categories.flatMap((c) => Array.from({ length: c.count }, (_, i) => ({ name: `${c.label}/secret-${i}`, ...c.make(i) })));

/** What the scan checks must find in this inventory, category by category (requireCustomerManagedKey on). */
const EXPECTED = {
  byCheck: {
    'rotation-overdue': 1500 + 500 + 40 + 50,
    'rotation-not-enabled': 2000 + 30 + 1500 + 500 + 40 + 50 + 100,
    'rotation-missed': 200 + 25,
    'secret-unused': 500 + 2055,
    'secret-default-kms-key': 500,
  },
  new: { 'rotation-missed': 25, 'rotation-not-enabled': 30, 'rotation-overdue': 40 },
  lookups: 100,
};
const EXPECTED_FINDINGS = Object.values(EXPECTED.byCheck).reduce((a, b) => a + b, 0);

/**
 * Loads `modulePath` in a fresh module registry in which every SDK client it builds has one more
 * middleware: the test's own, counting each request by service and command.
 */
function loadCounting<T>(modulePath: string, counts: Map<string, number>): T {
  const services = ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-cloudwatch', '@aws-sdk/client-sns', '@aws-sdk/client-eventbridge'];
  let loaded: T | undefined;
  jest.isolateModules(() => {
    for (const service of services) {
      jest.doMock(service, () => {
        const actual = jest.requireActual(service) as Record<string, unknown>;
        const clientName = Object.keys(actual).find((k) => k.endsWith('Client') && !k.startsWith('_') && typeof actual[k] === 'function' && k !== 'Client') as string;
        const Base = actual[clientName] as new (config: unknown) => { middlewareStack: { add: (...args: unknown[]) => void } };
        class Counting extends Base {
          constructor(config: unknown) {
            super(config);
            this.middlewareStack.add(
              (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
                const key = `${clientName.replace(/Client$/, '')}.${String(context.commandName).replace(/Command$/, '')}`;
                counts.set(key, (counts.get(key) ?? 0) + 1);
                return next(args);
              },
              { step: 'finalizeRequest', priority: 'low', name: 'testRequestCounter' },
            );
          }
        }
        return { ...actual, [clientName]: Counting };
      });
    }
    loaded = require(modulePath) as T;
  });
  return loaded as T;
}

function countsOf(findings: readonly Pick<Finding, 'check'>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.check] = (out[f.check] ?? 0) + 1;
  return out;
}

describeWithMoto(
  'inventory scan of 10,000 secrets against moto_server',
  (moto) => {
    let sns: SNSClient;
    let sqs: SQSClient;
    let cloudWatch: CloudWatchClient;
    let eventBridge: EventBridgeClient;
    let topicArn: string;
    let digestQueueUrl: string;
    let busQueueUrl: string;
    const busName = 'secretwatch-findings';

    async function queue(name: string): Promise<{ url: string; arn: string }> {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      return { url: QueueUrl!, arn: Attributes!.QueueArn! };
    }

    beforeAll(async () => {
      const config = moto.clientConfig();
      sns = new SNSClient(config);
      sqs = new SQSClient(config);
      cloudWatch = new CloudWatchClient(config);
      eventBridge = new EventBridgeClient(config);
      topicArn = (await sns.send(new CreateTopicCommand({ Name: 'secretwatch-alerts' }))).TopicArn!;
      const digests = await queue('digest-subscriber');
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: digests.arn }));
      digestQueueUrl = digests.url;
      await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
      // A consumer of the findings about five secrets: moto takes a third of a second to deliver
      // each matched event to SQS, so this reads a sample, not all 10,000.
      const watched = Array.from({ length: 5 }, (_, i) => `missed-today/secret-${i}`);
      await eventBridge.send(new PutRuleCommand({ Name: 'missed-rotations', EventBusName: busName, EventPattern: JSON.stringify({ source: ['secretwatch'], detail: { secret: { name: watched } } }) }));
      const bus = await queue('missed-rotations');
      await eventBridge.send(new PutTargetsCommand({ Rule: 'missed-rotations', EventBusName: busName, Targets: [{ Id: 'queue', Arn: bus.arn }] }));
      busQueueUrl = bus.url;
    });

    afterAll(() => {
      for (const client of [sns, sqs, cloudWatch, eventBridge]) client?.destroy();
    });

    async function gauge(name: string): Promise<number | null> {
      const now = Date.now();
      const out = await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 15 * 60_000),
          EndTime: new Date(now + 5 * 60_000),
          MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'SecretWatch', MetricName: name }, Period: 60, Stat: 'Maximum' } }],
        }),
      );
      const values = out.MetricDataResults?.[0]?.Values ?? [];
      return values.length ? Math.max(...values) : null;
    }

    test('the inventoryScan handler: ceil(N/100) ListSecrets and one look-up per overdue-looking secret; gauges, digest and findings delivered', async () => {
      moto.assertEnvironment();
      // Not the weekly full digest: its day is three days from now.
      const weekday = WEEKDAYS[(new Date().getUTCDay() + 3) % 7];
      const cleared = Object.fromEntries(CONFIG_KEYS.map((key) => [envName(key), undefined]));
      const restore = setEnv({
        ...cleared,
        LOG_LEVEL: 'SILENT',
        ALERT_TOPIC_ARN: topicArn,
        FINDINGS_BUS_NAME: busName,
        REQUIRE_CUSTOMER_MANAGED_KEY: 'true',
        FULL_DIGEST_WEEKDAY: weekday,
      });
      const counts = new Map<string, number>();
      let handler: typeof InventoryScanHandler;
      try {
        handler = loadCounting<{ handler: typeof InventoryScanHandler }>('../../handlers/inventoryScan', counts).handler;
      } finally {
        restore();
      }

      const scheduled = {
        version: '0',
        id: 'scan-1',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: MOTO_ACCOUNT,
        time: new Date().toISOString(),
        region: MOTO_REGION,
        resources: [],
        detail: {},
      };
      const result = (await handler(scheduled)) as Extract<InventoryScanResult, { status: 'completed' }>;

      expect(result).toMatchObject({
        status: 'completed',
        secrets: 10_000,
        findings: EXPECTED_FINDINGS,
        newFindings: 95,
        digest: 'new',
        calls: { ListSecrets: 100, ListSecretVersionIds: EXPECTED.lookups },
        delivery: { metricCalls: 1, metricsFailed: false, digestPublished: true, putOnBus: EXPECTED_FINDINGS },
      });
      // Counted by the test's own middleware: nothing else was called, nothing grew with N but the pages.
      expect(Object.fromEntries(counts)).toEqual({
        'SecretsManager.ListSecrets': 100,
        'SecretsManager.ListSecretVersionIds': EXPECTED.lookups,
        'CloudWatch.PutMetricData': 1,
        'SNS.Publish': 1,
        'EventBridge.PutEvents': Math.ceil(EXPECTED_FINDINGS / 10),
      });

      expect({
        Secrets: await gauge('Secrets'),
        RotationOverdue: await gauge('RotationOverdue'),
        RotationNotEnabled: await gauge('RotationNotEnabled'),
        RotationMissed: await gauge('RotationMissed'),
        Unused: await gauge('Unused'),
        PendingDeletion: await gauge('PendingDeletion'),
        ScanCompleted: await gauge('ScanCompleted'),
      }).toEqual({
        Secrets: 10_000,
        RotationOverdue: EXPECTED.byCheck['rotation-overdue'],
        RotationNotEnabled: EXPECTED.byCheck['rotation-not-enabled'],
        RotationMissed: EXPECTED.byCheck['rotation-missed'],
        Unused: EXPECTED.byCheck['secret-unused'],
        PendingDeletion: 400,
        ScanCompleted: 1,
      });

      const [notification, ...more] = await receiveMessages(sqs, digestQueueUrl, { expect: 1 });
      expect(more).toHaveLength(0);
      const envelope = JSON.parse(notification.Body!) as { Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> };
      expect(envelope.Subject).toBe(`[HIGH] SecretWatch scan ${MOTO_ACCOUNT} ${MOTO_REGION}: 95 new finding(s)`);
      expect(envelope.MessageAttributes.check.Value).toBe('scan-digest');
      const digest = JSON.parse(envelope.Message) as Digest;
      expect(digest).toMatchObject({ scope: 'new', secrets: 10_000, findings: EXPECTED_FINDINGS, newFindings: 95, omitted: 0 });
      expect(countsOf(digest.entries)).toEqual(EXPECTED.new);
      expect(digest.entries.slice(0, 25).every((e) => e.check === 'rotation-missed' && e.secret.startsWith('missed-today/'))).toBe(true);
      expect(new Set(digest.entries.filter((e) => e.check === 'rotation-overdue').map((e) => e.secret.split('/')[0]))).toEqual(new Set(['overdue-today']));

      const watched = await receiveMessages(sqs, busQueueUrl, { expect: 5, timeoutMs: 30_000, settleSeconds: 1 });
      const onBus = watched.map((m) => JSON.parse(m.Body!) as { source: string; 'detail-type': string; resources: string[]; detail: Finding });
      expect(onBus.map((e) => e.detail.secret?.name).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `missed-today/secret-${i}`));
      for (const event of onBus) {
        expect(event).toMatchObject({ source: 'secretwatch', 'detail-type': 'Secrets Manager Compliance Finding', resources: [event.detail.secret?.arn] });
        expect(event.detail).toMatchObject({ check: 'rotation-missed', severity: 'HIGH', event: null, actor: null, details: { logGroup: '/aws/lambda/rotator' } });
      }
    });

    test('secretwatch scan --endpoint: the same findings, the same calls', async () => {
      const counts = new Map<string, number>();
      const { runCli } = loadCounting<{ runCli: typeof RunCli }>('../helpers/cli', counts);

      const run = await runCli(['scan', '--endpoint', moto.endpoint, '--region', MOTO_REGION, '--format', 'json', '--set', 'requireCustomerManagedKey=true']);

      expect(run.code).toBe(0);
      const findings = run.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Finding);
      expect(countsOf(findings)).toEqual(EXPECTED.byCheck);
      expect(Object.fromEntries(counts)).toEqual({ 'SecretsManager.ListSecrets': 100, 'SecretsManager.ListSecretVersionIds': EXPECTED.lookups });
      expect(run.stderr).toContain(
        `secretwatch scan: ${EXPECTED_FINDINGS} finding(s) on 10000 secret(s) (500 exempt, 400 pending deletion; 100 ListSecrets and ${EXPECTED.lookups} ListSecretVersionIds call(s))`,
      );
      expect(run.stderr.match(/tag secretwatch:max-rotation-days="ninety"/g)).toHaveLength(5);
      // The managed secrets and the healthy rotations have nothing to say.
      expect(findings.filter((f) => /^(rds|rotating)\//.test(f.secret?.name ?? ''))).toEqual([]);
    });
  },
  seededLaunch({ account: MOTO_ACCOUNT, region: MOTO_REGION, secrets }),
);
