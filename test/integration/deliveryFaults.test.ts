/**
 * Exactly once per channel, as Lambda runs the packaged function: each attempt is a fresh `node`
 * process (a cold start), as Lambda's two retries of a failed asynchronous invocation are. One
 * channel at a time is broken (missing, or a black hole that accepts connections and never
 * answers); every working channel must get the finding exactly once over all the attempts, and the
 * Findings metric must sum to one. Each test has its own topic, bus, queues and metric namespace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runPackage, type Resource } from '../template/packaging';
import { envelopeOf, sampleRecord, type CloudTrailRecord } from './cloudtrail';
import { invokePackaged, lambdaEnvironment, logLines, unpackHandler } from './lambdaProcess';
import { createDeliveryTable } from './deliveryTable';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages } from './motoServer';

jest.setTimeout(300_000);

/**
 * The documented bound (docs/delivery.md): a hung endpoint ends the invocation within 12 seconds
 * of delivery (ledger claim, send, record, each time-limited), at most half of the functions'
 * 30-second timeout; the process start is on top.
 */
const HUNG_INVOCATION_BOUND_MS = 15_000;
const FUNCTION_NAME = 'secretwatch-ci-deletionMonitor';
const TABLE = 'secretwatch-ci-deliveries';

describeWithMoto('delivery exactly once per channel, under faults and retries (packaged deletionMonitor)', (moto) => {
  const work = mkdtempSync(join(tmpdir(), 'secretwatch-faults-'));
  let fn: Resource;
  let moduleFile: string;
  let sns: SNSClient;
  let sqs: SQSClient;
  let cloudWatch: CloudWatchClient;
  let eventBridge: EventBridgeClient;
  let blackHole: { server: Server; sockets: Set<Socket>; url: string };
  let serial = 0;

  beforeAll(async () => {
    const out = join(work, 'package');
    const packaged = runPackage({}, out);
    if (packaged.status !== 0) throw new Error(`serverless package failed:\n${packaged.output}`);
    ({ fn, moduleFile } = unpackHandler(out, 'deletionMonitor', join(work, 'deletionMonitor')));

    const config = moto.clientConfig();
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    cloudWatch = new CloudWatchClient(config);
    eventBridge = new EventBridgeClient(config);
    await createDeliveryTable(config, TABLE);

    // Accepts every connection and never answers a byte.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('black hole has no port');
    blackHole = { server, sockets, url: `http://127.0.0.1:${address.port}` };
  });

  afterAll(async () => {
    for (const client of [sns, sqs, cloudWatch, eventBridge]) client?.destroy();
    if (blackHole) {
      for (const socket of blackHole.sockets) socket.destroy();
      await new Promise((resolve) => blackHole.server.close(resolve));
    }
    rmSync(work, { recursive: true, force: true });
  });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  interface Channels {
    topicName: string;
    topicArn: string;
    busName: string;
    namespace: string;
    /** Creates the topic and its subscriber queue (also later, to mend a missing topic). */
    createTopic(): Promise<void>;
    createBus(): Promise<void>;
    alerts(): Promise<number>;
    onBus(): Promise<number>;
    metricSum(metric?: string): Promise<number>;
  }

  /** A fresh topic, bus and namespace for one test; `missing` ones are not created (yet). */
  async function channels(missing: { topic?: boolean; bus?: boolean } = {}): Promise<Channels> {
    const id = `faults-${++serial}`;
    const topicName = `${id}-alerts`;
    const busName = `${id}-findings`;
    let alertQueue: string | null = null;
    let busQueue: string | null = null;
    const c: Channels = {
      topicName,
      topicArn: `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:${topicName}`,
      busName,
      namespace: `SecretWatchFaults${serial}`,
      async createTopic() {
        const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName }));
        const q = await queue(`${id}-alert-subscriber`);
        alertQueue = q.url;
        await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }));
      },
      async createBus() {
        await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
        await eventBridge.send(new PutRuleCommand({ Name: `${id}-findings`, EventBusName: busName, EventPattern: JSON.stringify({ source: ['secretwatch'] }) }));
        const q = await queue(`${id}-bus-subscriber`);
        busQueue = q.url;
        await eventBridge.send(new PutTargetsCommand({ Rule: `${id}-findings`, EventBusName: busName, Targets: [{ Id: 'q', Arn: q.arn }] }));
      },
      async alerts() {
        return alertQueue ? (await receiveMessages(sqs, alertQueue, { expect: 1, timeoutMs: 3_000, settleSeconds: 1 })).length : 0;
      },
      async onBus() {
        return busQueue ? (await receiveMessages(sqs, busQueue, { expect: 1, timeoutMs: 3_000, settleSeconds: 1 })).length : 0;
      },
      async metricSum(metric = 'Findings') {
        const now = Date.now();
        const out = await cloudWatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(now - 3_600_000),
            EndTime: new Date(now + 3_600_000),
            // No Severity dimension: moto drops the namespace filter of a query with dimensions, and
            // each test's own namespace is what keeps the tests apart (only CRITICAL is sent here).
            MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: c.namespace, MetricName: metric }, Period: 60, Stat: 'Sum' } }],
          }),
        );
        return (out.MetricDataResults?.[0].Values ?? []).reduce((a, b) => a + b, 0);
      },
    };
    if (!missing.topic) await c.createTopic();
    if (!missing.bus) await c.createBus();
    return c;
  }

  /** One attempt: a cold start of the packaged handler, with the template's environment pointed at this test's channels. */
  async function attempt(event: unknown, c: Channels, env: Record<string, string> = {}) {
    const vars: Record<string, string> = {};
    for (const [key, value] of Object.entries((fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string') vars[key] = value;
    }
    Object.assign(vars, { ALERT_TOPIC_ARN: c.topicArn, FINDINGS_BUS_NAME: c.busName, DELIVERY_TABLE_NAME: TABLE, METRIC_NAMESPACE: c.namespace }, env);
    const started = Date.now();
    const run = await invokePackaged({ moduleFile, functionName: FUNCTION_NAME }, event, lambdaEnvironment(moto.endpoint, FUNCTION_NAME, vars), 30_000);
    return { ...run, logs: logLines(run), ms: Date.now() - started };
  }

  /** A force deletion with its own event id, so that no test sees another's ledger entries. */
  function forceDeletion(mutate: (record: CloudTrailRecord) => void = () => {}) {
    const record = sampleRecord('DeleteSecret/invictus-awsds-1.json');
    record.eventID = `00000000-0000-4000-8000-${String(serial + 1).padStart(12, '0')}`;
    mutate(record);
    return envelopeOf(record);
  }

  test('no fault: one attempt delivers once everywhere; the same event delivered again sends nothing', async () => {
    const event = forceDeletion();
    const c = await channels();
    const first = await attempt(event, c);
    expect(first.error).toBeNull();
    const again = await attempt(event, c);
    expect(again.error).toBeNull();
    expect(again.logs.filter((l) => l.message === 'already delivered by an earlier invocation: not sent again').map((l) => l.channel)).toEqual(['metrics', 'alert-topic', 'findings-bus']);
    expect([await c.alerts(), await c.onBus(), await c.metricSum()]).toEqual([1, 1, 1]);
  });

  test('the findings bus missing: alert and metric go out once over three attempts; the bus, once it exists, gets the finding once', async () => {
    const event = forceDeletion();
    const c = await channels({ bus: true });
    for (let i = 0; i < 2; i++) expect((await attempt(event, c)).error).toMatch(/^NotificationError: delivery failed on findings-bus/);
    await c.createBus();
    expect((await attempt(event, c)).error).toBeNull();
    expect([await c.alerts(), await c.onBus(), await c.metricSum()]).toEqual([1, 1, 1]);
  });

  test('the alert topic missing: bus and metric once over three attempts; the topic, once it exists, gets the alert once', async () => {
    const event = forceDeletion();
    const c = await channels({ topic: true });
    for (let i = 0; i < 2; i++) expect((await attempt(event, c)).error).toMatch(/^NotificationError: delivery failed on alert-topic/);
    await c.createTopic();
    expect((await attempt(event, c)).error).toBeNull();
    expect([await c.alerts(), await c.onBus(), await c.metricSum()]).toEqual([1, 1, 1]);
  });

  test.each([
    ['CloudWatch', 'AWS_ENDPOINT_URL_CLOUDWATCH', 'metrics'],
    ['SNS', 'AWS_ENDPOINT_URL_SNS', 'alert-topic'],
    ['the findings bus', 'AWS_ENDPOINT_URL_EVENTBRIDGE', 'findings-bus'],
  ])('%s a black hole: the invocation ends within the bound, the other channels deliver once, the retry delivers the rest once', async (_name, endpointVariable, channel) => {
    const event = forceDeletion();
    const c = await channels();
    const hung = await attempt(event, c, { [endpointVariable]: blackHole.url });
    expect(hung.error).toMatch(new RegExp(`^NotificationError: delivery failed on ${channel} `));
    expect(hung.ms).toBeLessThan(HUNG_INVOCATION_BOUND_MS);
    expect((await attempt(event, c)).error).toBeNull();
    expect([await c.alerts(), await c.onBus(), await c.metricSum()]).toEqual([1, 1, 1]);
  });

  test('a secret name holding a lone surrogate: the alert and the bus event go out once, on the first attempt', async () => {
    const c = await channels();
    const event = forceDeletion((r) => {
      (r.requestParameters as Record<string, unknown>).secretId = 'prod/\ud800db';
      delete (r.responseElements as Record<string, unknown>).arn;
      delete (r.responseElements as Record<string, unknown>).aRN;
      (r.responseElements as Record<string, unknown>).name = 'prod/\ud800db';
    });
    const run = await attempt(event, c);
    expect(run.error).toBeNull();
    expect([await c.alerts(), await c.onBus(), await c.metricSum()]).toEqual([1, 1, 1]);
  });

  test('a record a check cannot handle (a recovery window of 1e9 days): counted in InvalidEvents, nothing delivered, not retried', async () => {
    const c = await channels();
    const event = forceDeletion((r) => {
      const params = r.requestParameters as Record<string, unknown>;
      delete params.forceDeleteWithoutRecovery;
      params.recoveryWindowInDays = 1e9;
      // Without the response's date, the deletion date is computed from the window: out of range.
      delete (r.responseElements as Record<string, unknown>).deletionDate;
    });
    const run = await attempt(event, c);
    expect(run.error).toBeNull();
    expect([await c.alerts(), await c.onBus(), await c.metricSum(), await c.metricSum('InvalidEvents')]).toEqual([0, 0, 0, 1]);
  });

  test('the delivery table missing: the finding is still delivered (at least once rather than never), and the invocation succeeds', async () => {
    const event = forceDeletion();
    const c = await channels();
    const run = await attempt(event, c, { DELIVERY_TABLE_NAME: 'secretwatch-ci-no-such-table' });
    expect(run.error).toBeNull();
    expect(run.logs.filter((l) => l.message === 'delivery ledger unavailable: sending without it (a retry may send this finding again)')).toHaveLength(3);
    expect([await c.alerts(), await c.onBus(), await c.metricSum()]).toEqual([1, 1, 1]);
  });
});
