/**
 * handlers/rotationMonitor against moto_server, loaded as Lambda loads it: the real RotationFailed
 * service event of the AWS documentation reaches the alert topic and the findings bus as a HIGH
 * rotation-failed finding that names the failing step, the function and its log group.
 */
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { handler as RotationMonitorHandler } from '../../handlers/rotationMonitor';
import { CONFIG_KEYS, envName } from '../../src/config/config';
import type { Finding } from '../../src/findings/finding';
import { envelopeOf, sampleRecord } from './cloudtrail';
import { describeWithMoto, receiveMessages, setEnv } from './motoServer';

jest.setTimeout(30_000);

describeWithMoto('rotationMonitor handler against moto_server', (moto) => {
  let sns: SNSClient;
  let sqs: SQSClient;
  let eventBridge: EventBridgeClient;
  let cloudWatch: CloudWatchClient;

  beforeAll(() => {
    const config = moto.clientConfig();
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    eventBridge = new EventBridgeClient(config);
    cloudWatch = new CloudWatchClient(config);
  });

  afterAll(() => {
    for (const client of [sns, sqs, eventBridge, cloudWatch]) client?.destroy();
  });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  test('RotationFailed: HIGH on the alert topic and on the bus, with where to look', async () => {
    await moto.reset();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'secretwatch-alerts' }));
    const alerts = await queue('alerts');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: alerts.arn }));
    await eventBridge.send(new CreateEventBusCommand({ Name: 'findings' }));
    await eventBridge.send(new PutRuleCommand({ Name: 'all', EventBusName: 'findings', EventPattern: JSON.stringify({ source: ['secretwatch'] }) }));
    const findings = await queue('findings');
    await eventBridge.send(new PutTargetsCommand({ Rule: 'all', EventBusName: 'findings', Targets: [{ Id: 'q', Arn: findings.arn }] }));

    moto.assertEnvironment();
    const cleared = Object.fromEntries(CONFIG_KEYS.map((key) => [envName(key), undefined]));
    const restore = setEnv({ ...cleared, LOG_LEVEL: 'SILENT', ALERT_TOPIC_ARN: TopicArn!, FINDINGS_BUS_NAME: 'findings' });
    let handler: typeof RotationMonitorHandler | undefined;
    try {
      jest.isolateModules(() => {
        handler = (require('../../handlers/rotationMonitor') as { handler: typeof RotationMonitorHandler }).handler;
      });
    } finally {
      restore();
    }

    const result = await handler!(envelopeOf(sampleRecord('RotationFailed/awsdocs-smdocs-1.json')));

    expect(result).toMatchObject({ status: 'processed', findings: [{ check: 'rotation-failed', severity: 'HIGH' }], delivery: { published: 1, putOnBus: 1 } });
    const [notification] = await receiveMessages(sqs, alerts.url, { expect: 1, settleSeconds: 1 });
    const envelope = JSON.parse(notification.Body!) as { Subject: string; Message: string };
    expect(envelope.Subject).toMatch(/^\[HIGH\] Rotation of secret MyDatabaseSecret failed at step setSecret/);
    expect(envelope.Subject.length).toBeLessThan(100);
    const finding = JSON.parse(envelope.Message) as Finding;
    expect(finding.details).toMatchObject({ failedStep: 'setSecret', logGroup: '/aws/lambda/SecretsManagertest-alternating-users-rotation2' });
    const [onBus] = await receiveMessages(sqs, findings.url, { expect: 1 });
    expect((JSON.parse(onBus.Body!) as { detail: Finding }).detail).toEqual(finding);
    const metrics = await cloudWatch.send(new ListMetricsCommand({ Namespace: 'SecretWatch' }));
    expect(metrics.Metrics?.map((m) => `${m.MetricName} ${m.Dimensions?.map((d) => d.Value).join()}`)).toEqual(['Findings HIGH']);
  });
});
