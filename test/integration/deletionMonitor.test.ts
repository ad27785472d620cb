/**
 * handlers/deletionMonitor against moto_server: the handler module is loaded as Lambda loads it
 * (configuration from the environment at module load, SDK clients from AWS_ENDPOINT_URL) and is
 * invoked with EventBridge envelopes of real CloudTrail records. Its deliveries are read back the
 * way subscribers see them: SNS through an SQS subscription, the findings bus through a rule with
 * an SQS target, metrics through GetMetricData.
 */
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { handler as DeletionMonitorHandler } from '../../handlers/deletionMonitor';
import { CONFIG_KEYS, envName } from '../../src/config/config';
import { FINDING_KEYS } from '../helpers/fixtures';
import { envelopeOf, sampleRecord } from './cloudtrail';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages, setEnv } from './motoServer';

jest.setTimeout(30_000);

const FINDING_DETAIL_TYPE = 'Secrets Manager Compliance Finding';
const FORCE_DELETE = 'DeleteSecret/invictus-awsds-1.json';
const SCHEDULED_DELETE = 'DeleteSecret/permiso-ccc-1.json';

interface Stack {
  topicArn: string;
  busName: string;
  alertQueueUrl: string;
  findingsQueueUrl: string;
}

describeWithMoto('deletionMonitor handler against moto_server', (moto) => {
  let sns: SNSClient;
  let sqs: SQSClient;
  let cloudWatch: CloudWatchClient;
  let eventBridge: EventBridgeClient;
  let stack: Stack;

  beforeAll(() => {
    const config = moto.clientConfig();
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    cloudWatch = new CloudWatchClient(config);
    eventBridge = new EventBridgeClient(config);
  });

  afterAll(() => {
    for (const client of [sns, sqs, cloudWatch, eventBridge]) client?.destroy();
  });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  /** What a subscriber needs on AWS; moto does not enforce queue policies, but the stack stays faithful. */
  async function allowSend(q: { url: string; arn: string }, service: string, sourceArn: string): Promise<void> {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sqs:SendMessage', Resource: q.arn, Condition: { ArnEquals: { 'aws:SourceArn': sourceArn } } }],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: JSON.stringify(policy) } }));
  }

  // Each test starts from an empty moto account, so that metric sums and queues hold only its own deliveries.
  beforeEach(async () => {
    await moto.reset();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'secretwatch-alerts' }));
    const alertQueue = await queue('alerts-subscriber');
    await allowSend(alertQueue, 'sns.amazonaws.com', TopicArn!);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: alertQueue.arn, Attributes: { RawMessageDelivery: 'false' } }));

    const busName = 'secretwatch-findings';
    await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
    const { RuleArn } = await eventBridge.send(new PutRuleCommand({ Name: 'all-findings', EventBusName: busName, EventPattern: JSON.stringify({ source: ['secretwatch'] }) }));
    const findingsQueue = await queue('findings-consumer');
    await allowSend(findingsQueue, 'events.amazonaws.com', RuleArn!);
    await eventBridge.send(new PutTargetsCommand({ Rule: 'all-findings', EventBusName: busName, Targets: [{ Id: 'queue', Arn: findingsQueue.arn }] }));

    stack = { topicArn: TopicArn!, busName, alertQueueUrl: alertQueue.url, findingsQueueUrl: findingsQueue.url };
  });

  /**
   * Loads handlers/deletionMonitor afresh with these settings, as a Lambda cold start does: every
   * other secretwatch setting is removed from the environment so that the developer's shell cannot leak in.
   */
  function loadHandler(settings: Record<string, string>): typeof DeletionMonitorHandler {
    moto.assertEnvironment();
    const cleared = Object.fromEntries(CONFIG_KEYS.map((key) => [envName(key), undefined]));
    const restore = setEnv({ ...cleared, LOG_LEVEL: 'SILENT', ...settings });
    try {
      let loaded: typeof DeletionMonitorHandler | undefined;
      jest.isolateModules(() => {
        loaded = (require('../../handlers/deletionMonitor') as { handler: typeof DeletionMonitorHandler }).handler;
      });
      return loaded!;
    } finally {
      restore();
    }
  }

  const defaultSettings = () => ({ ALERT_TOPIC_ARN: stack.topicArn, FINDINGS_BUS_NAME: stack.busName });

  async function metricSum(metricName: string, dimensions: { Name: string; Value: string }[] = []): Promise<number | null> {
    const now = Date.now();
    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 15 * 60_000),
        EndTime: new Date(now + 5 * 60_000),
        MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'SecretWatch', MetricName: metricName, Dimensions: dimensions }, Period: 60, Stat: 'Sum' } }],
      }),
    );
    const values = out.MetricDataResults?.[0]?.Values ?? [];
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  }

  /** Every metric series in the namespace, as "Name" or "Name Dim=Value": what is billed. */
  async function series(): Promise<string[]> {
    const out = await cloudWatch.send(new ListMetricsCommand({ Namespace: 'SecretWatch' }));
    return (out.Metrics ?? []).map((m) => [m.MetricName, ...(m.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`)].join(' ')).sort();
  }

  const parseBody = (body: string | undefined) => JSON.parse(body ?? 'null') as Record<string, unknown>;

  it('refuses, before connecting, any request that would leave 127.0.0.1', async () => {
    const realAws = new SNSClient({ ...moto.clientConfig(), endpoint: `https://sns.${MOTO_REGION}.amazonaws.com` });
    await expect(realAws.send(new CreateTopicCommand({ Name: 'x' }))).rejects.toThrow(/must not leave 127\.0\.0\.1/);
    realAws.destroy();
  });

  it('force-deleted secret: CRITICAL finding on SNS (JSON + attributes), on the findings bus and in the Findings metric', async () => {
    const record = sampleRecord(FORCE_DELETE);
    const handler = loadHandler(defaultSettings());

    const result = await handler(envelopeOf(record));

    expect(result).toMatchObject({
      status: 'processed',
      findings: [{ check: 'secret-force-deleted', severity: 'CRITICAL' }],
      delivery: { metricCalls: 1, metricsFailed: false, published: 1, putOnBus: 1 },
    });

    // SNS -> SQS, raw delivery off: the body is the SNS envelope, the message the `sqs` member of the JSON structure.
    const [notification, ...moreNotifications] = await receiveMessages(sqs, stack.alertQueueUrl, { expect: 1 });
    expect(moreNotifications).toHaveLength(0);
    const snsEnvelope = parseBody(notification.Body);
    expect(snsEnvelope.Type).toBe('Notification');
    expect(snsEnvelope.TopicArn).toBe(stack.topicArn);
    expect(typeof snsEnvelope.Subject).toBe('string');
    expect(snsEnvelope.Subject).toMatch(/^\[CRITICAL\] /);
    expect((snsEnvelope.Subject as string).length).toBeLessThan(100);
    expect(snsEnvelope.MessageAttributes).toEqual({
      severity: { Type: 'String', Value: 'CRITICAL' },
      check: { Type: 'String', Value: 'secret-force-deleted' },
      severityRank: { Type: 'Number', Value: '5' },
    });

    const finding = JSON.parse(snsEnvelope.Message as string) as Record<string, unknown>;
    expect(finding.check).toBe('secret-force-deleted');
    expect(finding.severity).toBe('CRITICAL');
    expect(finding.title).toEqual(expect.stringContaining('stratus-red-team-retrieve-secret-7'));
    expect(finding.secret).toEqual({
      arn: 'arn:aws:secretsmanager:us-east-1:123837392027:secret:stratus-red-team-retrieve-secret-7-nFvpuv',
      name: 'stratus-red-team-retrieve-secret-7',
      id: 'arn:aws:secretsmanager:us-east-1:123837392027:secret:stratus-red-team-retrieve-secret-7-nFvpuv',
    });
    expect(finding.account).toBe('123837392027');
    expect(finding.region).toBe('us-east-1');
    expect(finding.actor).toEqual({
      arn: 'arn:aws:iam::123837392027:user/bert-jan',
      type: 'IAMUser',
      sourceIp: '192.168.10.20',
      userAgent: record.userAgent,
    });
    expect(finding.event).toEqual({ id: 'dbf59de5-4d63-4aca-9fce-a657f5df89c9', name: 'DeleteSecret', time: '2023-07-10T12:07:59Z' });
    expect(finding.details).toEqual({ forceDeleteWithoutRecovery: true });
    expect(finding.remediation).toEqual(expect.stringContaining('aws secretsmanager create-secret'));
    expect(Object.keys(finding)).toEqual(FINDING_KEYS);

    // Findings bus -> rule (source secretwatch) -> SQS: the same finding as the event's detail.
    const [busMessage, ...moreBusMessages] = await receiveMessages(sqs, stack.findingsQueueUrl, { expect: 1 });
    expect(moreBusMessages).toHaveLength(0);
    const busEvent = parseBody(busMessage.Body);
    expect(busEvent.source).toBe('secretwatch');
    expect(busEvent['detail-type']).toBe(FINDING_DETAIL_TYPE);
    expect(busEvent.resources).toEqual([(finding.secret as { arn: string }).arn]);
    expect(busEvent.detail).toEqual(finding);

    expect(await metricSum('Findings', [{ Name: 'Severity', Value: 'CRITICAL' }])).toBe(1);
    expect(await series()).toEqual(['Findings Severity=CRITICAL']);
  });

  it('invalid event (CloudTrail envelope without detail): status invalid, nothing published, InvalidEvents = 1', async () => {
    const handler = loadHandler(defaultSettings());

    const result = await handler({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.secretsmanager' });

    expect(result).toEqual({ status: 'invalid', reason: 'missing-detail', eventId: null });
    expect(await receiveMessages(sqs, stack.alertQueueUrl, { expect: 0, settleSeconds: 1 })).toHaveLength(0);
    expect(await receiveMessages(sqs, stack.findingsQueueUrl, { expect: 0, settleSeconds: 1 })).toHaveLength(0);
    expect(await metricSum('InvalidEvents')).toBe(1);
    expect(await series()).toEqual(['InvalidEvents']);
  });

  it('SNS failure (topic does not exist): the invocation fails, the metric and the bus delivery still happen', async () => {
    const missingTopic = `arn:aws:sns:${MOTO_REGION}:${MOTO_ACCOUNT}:no-such-topic`;
    const handler = loadHandler({ ...defaultSettings(), ALERT_TOPIC_ARN: missingTopic });

    const failure = await handler(envelopeOf(sampleRecord(FORCE_DELETE))).then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('NotificationError');
    expect((failure as AggregateError).errors.map((e: { name?: string }) => e.name)).toEqual(['NotFoundException']);
    expect(await metricSum('Findings', [{ Name: 'Severity', Value: 'CRITICAL' }])).toBe(1);
    const busMessages = await receiveMessages(sqs, stack.findingsQueueUrl, { expect: 1 });
    expect(busMessages.map((m) => (parseBody(m.Body).detail as { check: string }).check)).toEqual(['secret-force-deleted']);
    expect(await receiveMessages(sqs, stack.alertQueueUrl, { expect: 0, settleSeconds: 1 })).toHaveLength(0);
  });

  it('NOTIFY_MIN_SEVERITY=HIGH: a MEDIUM finding is counted and put on the bus but not published', async () => {
    const handler = loadHandler({ ...defaultSettings(), NOTIFY_MIN_SEVERITY: 'HIGH' });

    const result = await handler(envelopeOf(sampleRecord(SCHEDULED_DELETE)));

    expect(result).toMatchObject({
      status: 'processed',
      findings: [{ check: 'secret-deletion-scheduled', severity: 'MEDIUM' }],
      delivery: { published: 0, putOnBus: 1 },
    });
    expect(await receiveMessages(sqs, stack.alertQueueUrl, { expect: 0, settleSeconds: 1 })).toHaveLength(0);
    const [busMessage] = await receiveMessages(sqs, stack.findingsQueueUrl, { expect: 1 });
    expect(parseBody(busMessage.Body).detail).toMatchObject({
      check: 'secret-deletion-scheduled',
      severity: 'MEDIUM',
      event: { id: '55cdf183-64b2-4f8b-a600-731f60938da4', name: 'DeleteSecret' },
      details: { recoveryWindowInDays: 30 },
    });
    expect(await metricSum('Findings', [{ Name: 'Severity', Value: 'MEDIUM' }])).toBe(1);
  });
});
