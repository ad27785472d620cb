/**
 * End to end, as Lambda runs it: `serverless package` builds the function zips; each zip is
 * unpacked, its handler module (named in the packaged template) is loaded by a fresh `node`
 * process with the environment the template gives it, and invoked with real events. Deliveries
 * are read back from moto_server. This is what `serverless invoke local` cannot do offline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invokePackaged, lambdaEnvironment, logLines } from './lambdaProcess';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { extractZip, loadTemplateFrom, runPackage, zipEntries, type Resource } from '../template/packaging';
import { envelopeOf, sampleRecord } from './cloudtrail';
import { createDeliveryTable } from './deliveryTable';
import { describeWithMoto, receiveMessages } from './motoServer';

jest.setTimeout(120_000);

const DELIVERY_TABLE = 'secretwatch-ci-deliveries';

interface Invocation {
  result: Record<string, unknown> | null;
  error: string | null;
  logs: Record<string, unknown>[];
}

describeWithMoto('packaged deletionMonitor zip against moto_server', (moto) => {
  const work = mkdtempSync(join(tmpdir(), 'secretwatch-artifact-'));
  let fn: Resource;
  let moduleFile: string;
  let exportName: string;
  let sns: SNSClient;
  let sqs: SQSClient;
  let cloudWatch: CloudWatchClient;
  let eventBridge: EventBridgeClient;
  let topicArn: string;
  let alertQueueUrl: string;
  let findingsQueueUrl: string;

  beforeAll(async () => {
    const out = join(work, 'package');
    const packaged = runPackage({}, out);
    if (packaged.status !== 0) throw new Error(`serverless package failed:\n${packaged.output}`);
    const template = loadTemplateFrom(out);
    [, fn] = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.FunctionName).endsWith('-deletionMonitor'))!;
    const zip = join(out, 'deletionMonitor.zip');
    const root = join(work, 'deletionMonitor');
    extractZip(zip, root);
    const handler = String(fn.Properties?.Handler); // handlers/deletionMonitor.handler
    moduleFile = join(root, `${handler.slice(0, handler.lastIndexOf('.'))}.js`);
    exportName = handler.slice(handler.lastIndexOf('.') + 1);

    const config = moto.clientConfig();
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    cloudWatch = new CloudWatchClient(config);
    eventBridge = new EventBridgeClient(config);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'secretwatch-ci-alerts' }))).TopicArn!;
    const alertQueue = await queue('alert-subscriber');
    alertQueueUrl = alertQueue.url;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: alertQueue.arn }));
    await createDeliveryTable(config, DELIVERY_TABLE);
    await eventBridge.send(new CreateEventBusCommand({ Name: 'secretwatch-findings-ci' }));
    await eventBridge.send(new PutRuleCommand({ Name: 'findings', EventBusName: 'secretwatch-findings-ci', EventPattern: JSON.stringify({ source: ['secretwatch'] }) }));
    const findingsQueue = await queue('findings-subscriber');
    findingsQueueUrl = findingsQueue.url;
    await eventBridge.send(new PutTargetsCommand({ Rule: 'findings', EventBusName: 'secretwatch-findings-ci', Targets: [{ Id: 'q', Arn: findingsQueue.arn }] }));
  });

  afterAll(() => {
    for (const client of [sns, sqs, cloudWatch, eventBridge]) client?.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  /** The template's environment for the function, with the stack's references resolved to the moto resources. */
  function functionEnvironment(): Record<string, string> {
    const vars = (fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(vars)) {
      if (key === 'ALERT_TOPIC_ARN') env[key] = topicArn;
      else if (key === 'FINDINGS_BUS_NAME') env[key] = 'secretwatch-findings-ci';
      else if (key === 'DELIVERY_TABLE_NAME') env[key] = DELIVERY_TABLE;
      else if (typeof value === 'string') env[key] = value;
      else throw new Error(`unresolved environment variable ${key}: ${JSON.stringify(value)}`);
    }
    return env;
  }

  async function invoke(event: unknown): Promise<Invocation> {
    const run = await invokePackaged(
      { moduleFile, exportName, functionName: 'secretwatch-ci-deletionMonitor' },
      event,
      lambdaEnvironment(moto.endpoint, 'secretwatch-ci-deletionMonitor', functionEnvironment()),
    );
    return { result: run.result, error: run.error, logs: logLines(run) };
  }

  test('the zip holds one bundled handler module and nothing else that matters', () => {
    expect(
      zipEntries(join(work, 'package', 'deletionMonitor.zip'))
        .map((e) => e.name)
        .filter((n) => !n.endsWith('/')),
    ).toEqual(['handlers/deletionMonitor.js']);
  });

  test('a force deletion: the finding reaches the topic subscriber and the bus, the metric is written, the logs are JSON', async () => {
    const record = sampleRecord('DeleteSecret/invictus-awsds-1.json');
    const { result, error, logs } = await invoke(envelopeOf(record));
    expect(error).toBeNull();
    expect(result).toMatchObject({ status: 'processed', findings: [{ check: 'secret-force-deleted', severity: 'CRITICAL' }] });

    const [alert] = await receiveMessages(sqs, alertQueueUrl, { expect: 1 });
    const notification = JSON.parse(alert.Body!) as { Subject: string; Message: string; MessageAttributes: Record<string, { Type: string; Value: string }> };
    // The real record is account 123837392027's and moto's topic is 123456789012's: as a member's finding in a central stack, the subject names the account.
    expect(notification.Subject).toBe('[CRITICAL] 123837392027: Secret stratus-red-team-retrieve-secret-7 was force-deleted with no rec...');
    expect(JSON.parse(notification.Message)).toMatchObject({ check: 'secret-force-deleted', event: { id: 'dbf59de5-4d63-4aca-9fce-a657f5df89c9' } });
    expect(notification.MessageAttributes.severityRank).toEqual({ Type: 'Number', Value: '5' });

    const [onBus] = await receiveMessages(sqs, findingsQueueUrl, { expect: 1 });
    expect(JSON.parse(onBus.Body!)).toMatchObject({ source: 'secretwatch', 'detail-type': 'Secrets Manager Compliance Finding', detail: { check: 'secret-force-deleted' } });

    const now = Date.now();
    const metrics = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 3_600_000),
        MetricDataQueries: [
          { Id: 'critical', MetricStat: { Metric: { Namespace: 'SecretWatch', MetricName: 'Findings', Dimensions: [{ Name: 'Severity', Value: 'CRITICAL' }] }, Period: 60, Stat: 'Sum' } },
        ],
      }),
    );
    expect(metrics.MetricDataResults?.[0].Values?.reduce((a, b) => a + b, 0)).toBe(1);

    // Powertools' structured logs, with the Lambda context, one line per finding.
    const findingLog = logs.find((l) => l.message === 'finding');
    expect(findingLog).toMatchObject({
      level: 'INFO',
      service: 'secretwatch',
      monitor: 'deletionMonitor',
      function_name: 'secretwatch-ci-deletionMonitor',
      finding: { check: 'secret-force-deleted' },
    });
    expect(logs.find((l) => l.message === 'event handled')).toMatchObject({ status: 'processed', findings: 1 });
  });

  test('an invalid event is logged with its reason and not retried', async () => {
    const { result, error, logs } = await invoke({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.secretsmanager' });
    expect(error).toBeNull();
    expect(result).toEqual({ status: 'invalid', reason: 'missing-detail', eventId: null });
    expect(logs.find((l) => l.level === 'ERROR')).toMatchObject({ message: 'invalid event: not processed, not retried', reason: 'missing-detail' });
  });
});
