import 'aws-sdk-client-mock-jest';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_CONFIG } from '../../src/config/config';
import type { Log } from '../../src/delivery/log';
import { parseEvent } from '../../src/events/parse';
import type { Finding } from '../../src/findings/finding';
import { remediationFollowUp } from '../../src/followups/remediationFollowUp';
import { deletionMonitor, policyMonitor } from '../../src/monitors';
import { handleMonitorEvent } from '../../src/runtime/eventHandler';
import { applyFollowUps, type FindingFollowUp } from '../../src/runtime/followUp';
import { sample } from '../helpers/fixtures';

const cw = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const eb = mockClient(EventBridgeClient);
const sm = mockClient(SecretsManagerClient);

function recordingLog(): Log & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => errors.push(args) };
}

const config = { ...DEFAULT_CONFIG, alertTopicArn: 'arn:aws:sns:us-east-1:123456789123:alerts', findingsBusName: 'findings', remediatePublicPolicy: true };
const deps = (followUps: FindingFollowUp[], log: Log = recordingLog()) => ({
  config,
  clients: { cloudWatch: new CloudWatchClient({}), sns: new SNSClient({}), eventBridge: new EventBridgeClient({}) },
  log,
  now: () => new Date('2024-06-01T00:00:00Z'),
  followUps,
});

beforeEach(() => {
  for (const m of [cw, sns, eb, sm]) m.reset();
  cw.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{}] });
});

describe('applyFollowUps', () => {
  const record = parseEvent(sample('PutResourcePolicy/streamalert-1.json')).record;
  const finding = { check: 'secret-policy-public', details: { access: 'public' } } as unknown as Finding;

  test('a follow-up that throws is logged and noted; the finding is still delivered, and later steps still run', async () => {
    const log = recordingLog();
    const broken: FindingFollowUp = { name: 'broken', applies: () => true, run: () => Promise.reject(new TypeError('boom')) };
    const marker: FindingFollowUp = { name: 'marker', applies: () => true, run: async (f) => ({ ...f, details: { ...f.details, marker: true } }) };
    const [out] = await applyFollowUps([finding], record, [broken, marker], log);
    expect(out.details).toEqual({ access: 'public', broken: { status: 'error', reason: 'TypeError: boom' }, marker: true });
    expect(log.errors).toHaveLength(1);
    expect(log.errors[0][0]).toBe('follow-up failed; the finding is delivered without it');
  });

  test('a follow-up that does not apply is not run', async () => {
    const run = jest.fn();
    const [out] = await applyFollowUps([finding], record, [{ name: 'never', applies: () => false, run }], recordingLog());
    expect(run).not.toHaveBeenCalled();
    expect(out).toBe(finding);
  });
});

describe('the handler runs the follow-ups between the checks and delivery', () => {
  test('a public policy is remediated, and the notification says so', async () => {
    sm.on(GetResourcePolicyCommand).resolves({
      ARN: 'arn:aws:secretsmanager:us-east-1:123456789123:secret:test-zeCISw',
      ResourcePolicy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}',
    });
    sm.on(DeleteResourcePolicyCommand).resolves({});
    const steps = [remediationFollowUp(config, (f) => f.check === 'secret-policy-public', new SecretsManagerClient({ region: 'us-east-1' }))];
    const result = await handleMonitorEvent(sample('PutResourcePolicy/streamalert-1.json'), policyMonitor, deps(steps));
    expect(result).toMatchObject({ status: 'processed', findings: [{ check: 'secret-policy-public', details: { autoRemediation: { status: 'applied', action: 'deleted-policy' } } }] });
    const published = JSON.parse(JSON.parse(sns.commandCalls(PublishCommand)[0].args[0].input.Message as string).default as string) as Finding;
    expect(published.details.autoRemediation).toMatchObject({ status: 'applied' });
    expect(published.remediation).toMatch(/^Remediated automatically: /);
    const busDetail = JSON.parse(eb.commandCalls(PutEventsCommand)[0].args[0].input.Entries?.[0].Detail as string) as Finding;
    expect(busDetail.details.autoRemediation).toMatchObject({ status: 'applied' });
  });

  test('follow-ups see only the findings of their own monitor', async () => {
    const run = jest.fn();
    await handleMonitorEvent(sample('DeleteSecret/invictus-awsds-1.json'), deletionMonitor, deps([{ name: 'x', applies: (f) => f.check.startsWith('secret-policy'), run }]));
    expect(run).not.toHaveBeenCalled();
    expect(sm).toHaveReceivedCommandTimes(GetResourcePolicyCommand, 0);
  });
});
