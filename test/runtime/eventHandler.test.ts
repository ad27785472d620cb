import 'aws-sdk-client-mock-jest';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockDeliveryClients } from '../helpers/deliveryMocks';
import { DEFAULT_CONFIG } from '../../src/config/config';
import { silentLog } from '../../src/delivery/log';
import { secretDeletionScheduled } from '../../src/checks/registry';
import { deletionMonitor, identityMonitor } from '../../src/monitors';
import { handleMonitorEvent } from '../../src/runtime/eventHandler';
import { sample } from '../helpers/fixtures';

const { cw, sns, clients, succeedAll } = mockDeliveryClients();
const NOW = new Date('2024-06-01T00:00:00Z');
const deps = () => ({
  config: { ...DEFAULT_CONFIG, alertTopicArn: 'arn:aws:sns:us-east-1:123837392027:alerts', findingsBusName: 'findings' },
  clients,
  log: silentLog,
  now: () => NOW,
});

function envelope(detail: unknown) {
  return {
    version: '0',
    id: 'env-1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.secretsmanager',
    account: '123837392027',
    time: '2023-07-10T12:07:59Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

beforeEach(succeedAll);

test('a real force-deletion event is checked and delivered', async () => {
  const result = await handleMonitorEvent(envelope(sample('DeleteSecret/invictus-awsds-1.json')), deletionMonitor, deps());
  expect(result.status).toBe('processed');
  if (result.status !== 'processed') return;
  expect(result.findings.map((f) => [f.check, f.severity])).toEqual([['secret-force-deleted', 'CRITICAL']]);
  expect(result.delivery).toMatchObject({ metricCalls: 1, metricsFailed: false, published: 1, putOnBus: 1 });
  expect(result.failedChecks).toEqual([]);
});

test('a check that throws: logged with the event id, counted in InvalidEvents, not retried; the other checks are still delivered', async () => {
  const errors: Record<string, unknown>[] = [];
  const log = { ...silentLog, error: (message: string, extra: Record<string, unknown> = {}) => errors.push({ message, ...extra }) };
  const thrower = jest.spyOn(secretDeletionScheduled, 'evaluate').mockImplementation(() => {
    throw new RangeError('Invalid time value');
  });
  try {
    const result = await handleMonitorEvent(envelope(sample('DeleteSecret/invictus-awsds-1.json')), deletionMonitor, { ...deps(), log });
    expect(result).toMatchObject({ status: 'processed', failedChecks: ['secret-deletion-scheduled'], findings: [{ check: 'secret-force-deleted' }] });
  } finally {
    thrower.mockRestore();
  }
  expect(errors).toEqual([
    {
      message: 'check failed on this event: no finding from it, not retried',
      check: 'secret-deletion-scheduled',
      eventId: 'dbf59de5-4d63-4aca-9fce-a657f5df89c9',
      eventName: 'DeleteSecret',
      error: { name: 'RangeError', message: 'Invalid time value' },
    },
  ]);
  expect(cw).toHaveReceivedCommandWith(PutMetricDataCommand, { MetricData: [{ MetricName: 'InvalidEvents', Value: 1, Unit: 'Count', Timestamp: NOW }] });
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
});

test('an invalid event is counted in InvalidEvents, not delivered and not retried', async () => {
  const result = await handleMonitorEvent({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.secretsmanager' }, deletionMonitor, deps());
  expect(result).toEqual({ status: 'invalid', reason: 'missing-detail', eventId: null });
  expect(cw).toHaveReceivedCommandWith(PutMetricDataCommand, { Namespace: 'SecretWatch', MetricData: [{ MetricName: 'InvalidEvents', Value: 1, Unit: 'Count', Timestamp: NOW }] });
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
});

test('an invalid event whose metric also fails still returns without throwing', async () => {
  cw.on(PutMetricDataCommand).rejects(new Error('down'));
  await expect(handleMonitorEvent('garbage', deletionMonitor, deps())).resolves.toMatchObject({ status: 'invalid', reason: 'not-an-object' });
});

test('an event of another service is ignored', async () => {
  const detail = { eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'DeleteSecret', awsRegion: 'us-east-1' };
  await expect(handleMonitorEvent({ ...envelope(detail), source: 'aws.s3' }, deletionMonitor, deps())).resolves.toEqual({
    status: 'ignored',
    eventName: 'DeleteSecret',
    eventSource: 's3.amazonaws.com',
  });
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 0);
});

test('a record that no rule of the function delivers is ignored: no check runs, no calls', async () => {
  const result = await handleMonitorEvent(envelope(sample('GetSecretValue/invictus-awsds-1.json')), deletionMonitor, deps());
  expect(result).toMatchObject({ status: 'ignored', eventName: 'GetSecretValue' });
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 0);
  expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
});

test('an SNS failure throws so that EventBridge retries the event', async () => {
  sns.on(PublishCommand).rejects(new Error('KMSAccessDenied'));
  await expect(handleMonitorEvent(envelope(sample('DeleteSecret/invictus-awsds-1.json')), deletionMonitor, deps())).rejects.toThrow('delivery failed on alert-topic');
});

describe("a monitor's record context (identityMonitor reads the policy an event names)", () => {
  const attach = sample('AttachRolePolicy/panther-1.json');
  const iamEnvelope = { ...envelope(attach), source: 'aws.iam' };
  const admin = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

  test('read before the checks, which judge the document it gives', async () => {
    const reads: string[] = [];
    const recordContext = {
      async read(record: { eventName: string }) {
        reads.push(record.eventName);
        return { policies: { policy: () => ({ status: 'found' as const, document: admin, versionId: 'v1', source: 'iam' as const, attachedTo: null, previousVersionId: null }) } };
      },
    };
    const result = await handleMonitorEvent(iamEnvelope, identityMonitor, { ...deps(), recordContext });
    expect(reads).toEqual(['AttachRolePolicy']);
    expect(result.status === 'processed' && result.findings.map((f) => [f.check, f.details.policy])).toEqual([
      ['identity-policy-administers-all-secrets', expect.objectContaining({ documentSource: 'iam', versionId: 'v1' })],
      ['identity-policy-reads-all-secrets', expect.objectContaining({ documentSource: 'iam', versionId: 'v1' })],
    ]);
  });

  test('a read that fails (throttling) throws: EventBridge retries the event, nothing is delivered', async () => {
    const recordContext = {
      async read(): Promise<never> {
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      },
    };
    await expect(handleMonitorEvent(iamEnvelope, identityMonitor, { ...deps(), recordContext })).rejects.toThrow('Rate exceeded');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  test('not read for an event no rule of the function delivers', async () => {
    const recordContext = { read: jest.fn() };
    await handleMonitorEvent(envelope(sample('DeleteSecret/invictus-awsds-1.json')), identityMonitor, { ...deps(), recordContext });
    expect(recordContext.read).not.toHaveBeenCalled();
  });
});
