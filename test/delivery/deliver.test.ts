import { makeFinding } from '../helpers/findings';
import 'aws-sdk-client-mock-jest';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockDeliveryClients } from '../helpers/deliveryMocks';
import { deliver, NotificationError, type DeliveryTargets } from '../../src/delivery/deliver';
import { silentLog, type Log } from '../../src/delivery/log';
import { putMetrics } from '../../src/delivery/metrics';
import type { Finding } from '../../src/findings/finding';
import type { Severity } from '../../src/findings/severity';

const { cw, sns, eb, clients, succeedAll } = mockDeliveryClients();
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:secretwatch-alerts';
const targets: DeliveryTargets = { metricNamespace: 'SecretWatch', alertTopicArn: TOPIC, findingsBusName: 'secretwatch-findings', notifyMinSeverity: 'LOW' };
const NOW = new Date('2024-06-01T00:00:00Z');

function finding(severity: Severity, check = 'secret-force-deleted', title = 'Secret prod/db was force-deleted with no recovery window'): Finding {
  return makeFinding({
    check,
    severity,
    title,
    secret: { arn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf', name: 'prod/db', id: 'prod/db' },
    account: '111122223333',
    region: 'us-east-1',
    actor: { arn: 'arn:aws:iam::111122223333:user/alice', type: 'IAMUser', sourceIp: '198.51.100.7', userAgent: 'aws-cli/2.15.0' },
    event: { id: 'e-1', name: 'DeleteSecret', time: '2024-06-01T00:00:00Z' },
    details: { forceDeleteWithoutRecovery: true },
    remediation: 'Recreate it.',
  });
}

function recordingLog(): Log & { errors: string[] } {
  const errors: string[] = [];
  return { ...silentLog, errors, error: (message: string) => errors.push(message) };
}

beforeEach(succeedAll);

test("a finding of another account than the alert topic's (a member's, in a central stack) names that account first in the subject", async () => {
  await deliver(
    [
      { ...finding('CRITICAL'), account: '222233334444' },
      { ...finding('HIGH'), account: null },
    ],
    clients,
    targets,
    silentLog,
    NOW,
  );
  expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject)).toEqual([
    '[CRITICAL] 222233334444: Secret prod/db was force-deleted with no recovery window',
    '[HIGH] Secret prod/db was force-deleted with no recovery window',
  ]);
});

test('publishes each finding with severity attributes, puts it on the bus and counts it in one metrics call', async () => {
  const report = await deliver([finding('CRITICAL')], clients, targets, silentLog, NOW);
  expect(report).toEqual({
    metricCalls: 1,
    metricsFailed: false,
    published: 1,
    putOnBus: 1,
    channels: [
      { channel: 'metrics', sent: 1, alreadyDelivered: 0, failed: false },
      { channel: 'alert-topic', sent: 1, alreadyDelivered: 0, failed: false },
      { channel: 'findings-bus', sent: 1, alreadyDelivered: 0, failed: false },
    ],
  });

  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  const input = sns.commandCalls(PublishCommand)[0].args[0].input;
  expect(input.TopicArn).toBe(TOPIC);
  expect(input.MessageAttributes).toEqual({
    severity: { DataType: 'String', StringValue: 'CRITICAL' },
    check: { DataType: 'String', StringValue: 'secret-force-deleted' },
    severityRank: { DataType: 'Number', StringValue: '5' },
  });
  expect(input.Subject).toBe('[CRITICAL] Secret prod/db was force-deleted with no recovery window');
  expect(input.MessageStructure).toBe('json');
  const message = JSON.parse(input.Message as string) as Record<string, string>;
  expect(JSON.parse(message.default)).toEqual(finding('CRITICAL'));
  expect(Object.keys(message)).toEqual(['default', 'email', 'https']);
  expect(JSON.parse(message.https)).toMatchObject({ version: '1.0', source: 'custom', metadata: { eventType: 'secret-force-deleted' } });
  expect(message.email).toContain('CRITICAL: Secret prod/db was force-deleted');
  expect(message.email).toContain('arn:aws:iam::111122223333:user/alice from 198.51.100.7');
  expect(message.email).toContain('Recreate it.');

  expect(cw).toHaveReceivedCommandWith(PutMetricDataCommand, {
    Namespace: 'SecretWatch',
    MetricData: [{ MetricName: 'Findings', Dimensions: [{ Name: 'Severity', Value: 'CRITICAL' }], Value: 1, Unit: 'Count', Timestamp: NOW }],
  });
  const entries = eb.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
  expect(entries).toEqual([
    {
      EventBusName: 'secretwatch-findings',
      Source: 'secretwatch',
      DetailType: 'Secrets Manager Compliance Finding',
      Detail: JSON.stringify(finding('CRITICAL')),
      Resources: ['arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf'],
      Time: NOW,
    },
  ]);
});

test('a metrics failure never holds back an alert, and fails the invocation so that the metric is retried', async () => {
  cw.on(PutMetricDataCommand).rejects(new Error('Throttling'));
  const log = recordingLog();
  await expect(deliver([finding('HIGH')], clients, targets, log, NOW)).rejects.toThrow('delivery failed on metrics (Throttling)');
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  expect(log.errors).toEqual(['delivery failed']);
});

test('an SNS failure fails the delivery, after the metrics and the bus were attempted', async () => {
  sns.on(PublishCommand).rejects(new Error('AuthorizationError'));
  await expect(deliver([finding('HIGH')], clients, targets, silentLog, NOW)).rejects.toBeInstanceOf(NotificationError);
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
});

test('one failed publish among several still fails the delivery, and the others were sent', async () => {
  sns.on(PublishCommand).resolvesOnce({ MessageId: 'a' }).rejectsOnce(new Error('boom')).resolves({ MessageId: 'c' });
  await expect(deliver([finding('HIGH'), finding('HIGH'), finding('HIGH')], clients, targets, silentLog, NOW)).rejects.toThrow('delivery failed on alert-topic (boom)');
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 3);
});

test('a finding the bus refuses fails the delivery', async () => {
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'x' }] });
  await expect(deliver([finding('LOW')], clients, targets, silentLog, NOW)).rejects.toBeInstanceOf(NotificationError);
});

test('notifyMinSeverity filters what is published, not what is counted or put on the bus', async () => {
  const findings = [finding('CRITICAL'), finding('MEDIUM'), finding('INFO', 'secret-restored')];
  const report = await deliver(findings, clients, { ...targets, notifyMinSeverity: 'HIGH' }, silentLog, NOW);
  expect(report).toMatchObject({ published: 1, putOnBus: 3 });
  const data = cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData ?? [];
  expect(data.map((d) => [d.Dimensions?.[0].Value, d.Value])).toEqual([
    ['CRITICAL', 1],
    ['MEDIUM', 1],
    ['INFO', 1],
  ]);
});

test('no topic and no bus: nothing but metrics (the CLI without --publish)', async () => {
  const report = await deliver([finding('CRITICAL')], clients, { metricNamespace: 'X', notifyMinSeverity: 'LOW' }, silentLog, NOW);
  expect(report).toMatchObject({ metricCalls: 1, metricsFailed: false, published: 0, putOnBus: 0 });
  expect(report.channels.map((c) => c.channel)).toEqual(['metrics']);
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 0);
});

test('no findings: no calls at all', async () => {
  await deliver([], clients, targets, silentLog, NOW);
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 0);
  expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 0);
});

test('25 findings go to the bus in 3 calls of at most 10', async () => {
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  await deliver(
    Array.from({ length: 25 }, () => finding('LOW')),
    clients,
    targets,
    silentLog,
    NOW,
  );
  expect(eb.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
});

test('PutMetricData takes 1,000 data points a call', async () => {
  const data = Array.from({ length: 2001 }, () => ({ MetricName: 'X', Value: 1 }));
  expect(await putMetrics(clients.cloudWatch, 'SecretWatch', data)).toBe(3);
  expect(cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData?.length)).toEqual([1000, 1000, 1]);
});
