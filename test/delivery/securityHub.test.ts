import 'aws-sdk-client-mock-jest';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { RESOLVED_DETAIL_TYPE } from '../../src/delivery/bus';
import { deliver, NotificationError, type DeliveryTargets } from '../../src/delivery/deliver';
import { silentLog } from '../../src/delivery/log';
import { importFindings, resolveSubjects, resolveUnseen, SecurityHubImportError } from '../../src/delivery/securityHub';
import { toAsff, type AsffFinding } from '../../src/findings/asff';
import type { Finding } from '../../src/findings/finding';
import { findingIdOf } from '../../src/findings/findingId';
import { mockDeliveryClients } from '../helpers/deliveryMocks';
import { makeFinding } from '../helpers/findings';

const hub = mockClient(SecurityHubClient);
const client = new SecurityHubClient({});
const { sns, eb, clients, succeedAll } = mockDeliveryClients();
const PRODUCT = 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default';
const target = { productArn: PRODUCT };
const NOW = new Date('2024-06-01T00:00:00Z');

function finding(name: string, check = 'rotation-overdue', account = '111122223333'): Finding {
  return makeFinding({
    check,
    severity: 'MEDIUM',
    title: `Secret ${name} is overdue`,
    secret: { arn: `arn:aws:secretsmanager:us-east-1:${account}:secret:${name}-AbCdEf`, name, id: name },
    account,
    region: 'us-east-1',
    actor: null,
    event: null,
    details: {},
    remediation: 'Rotate it.',
  });
}

function stored(f: Finding, changes: Partial<AsffFinding> = {}): AwsSecurityFinding {
  return { ...toAsff(f, { now: NOW }), ...changes } as AwsSecurityFinding;
}

beforeEach(() => {
  hub.reset();
  succeedAll();
  hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));
});

describe('importFindings', () => {
  test('sends at most 100 findings a call', async () => {
    const many = Array.from({ length: 250 }, (_, i) => toAsff(finding(`s${i}`), { now: NOW }));
    await expect(importFindings(client, many)).resolves.toBe(250);
    expect(hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings?.length)).toEqual([100, 100, 50]);
  });

  test('a finding Security Hub refuses fails the delivery, naming it, after every batch was tried', async () => {
    const many = Array.from({ length: 150 }, (_, i) => toAsff(finding(`s${i}`), { now: NOW }));
    hub
      .on(BatchImportFindingsCommand)
      .callsFake((input: { Findings: AsffFinding[] }) =>
        input.Findings.length === 100
          ? { SuccessCount: 99, FailedCount: 1, FailedFindings: [{ Id: input.Findings[0].Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] }
          : { SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] },
      );
    const error = await importFindings(client, many).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecurityHubImportError);
    expect((error as SecurityHubImportError).failures).toEqual([{ id: many[0].Id, errorCode: 'InvalidInput', errorMessage: 'bad' }]);
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 2);
  });
});

describe('resolveSubjects (an event fixed a state)', () => {
  const open = finding('prod/db', 'secret-policy-public');
  const subject = { check: open.check, account: open.account, region: open.region, resource: open.resource };

  test('closes the open finding of the subject: same Id, PASSED, ARCHIVED, RESOLVED, looked up by Id', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [stored(open)] });
    const resolved = await resolveSubjects(client, target, [{ subject, reason: 'the resource policy was deleted', event: null }], NOW);
    expect(resolved.map((r) => [r.id, r.check, r.severity, r.reason])).toEqual([[findingIdOf(open), 'secret-policy-public', 'MEDIUM', 'the resource policy was deleted']]);
    expect(hub.commandCalls(GetFindingsCommand)[0].args[0].input.Filters).toMatchObject({
      Id: [{ Value: findingIdOf(open), Comparison: 'EQUALS' }],
      ProductArn: [{ Value: PRODUCT, Comparison: 'EQUALS' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' }],
    });
    const [closed] = hub.commandCalls(BatchImportFindingsCommand)[0].args[0].input.Findings ?? [];
    expect(closed).toMatchObject({ Id: findingIdOf(open), Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' } });
  });

  test('nothing open (never raised, already closed, another product, or a server that ignores the filter): nothing is imported', async () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        stored(open, { RecordState: 'ARCHIVED' }),
        stored(open, { Compliance: { Status: 'PASSED' } }),
        stored(open, { ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' }),
        stored(finding('other', 'secret-policy-public')),
      ],
    });
    await expect(resolveSubjects(client, target, [{ subject, reason: 'x', event: null }], NOW)).resolves.toEqual([]);
    expect(hub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
  });
});

describe('resolveUnseen (after a scan)', () => {
  const still = finding('still-overdue');
  const rotated = finding('rotated');
  const elsewhere = finding('member-secret', 'rotation-overdue', '444455556666');

  test('closes what the scan no longer raises in the accounts and regions it covered, following every page', async () => {
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [stored(still)], NextToken: 'p2' })
      .resolvesOnce({ Findings: [stored(rotated), stored(elsewhere)] });
    const current = [toAsff(still, { now: NOW })];
    const resolved = await resolveUnseen(client, target, { checks: ['rotation-overdue'], scanned: [{ account: '111122223333', region: 'us-east-1' }] }, current, NOW);
    expect(resolved.map((r) => r.id)).toEqual([findingIdOf(rotated)]);
    expect(resolved[0]).toMatchObject({ reason: 'the inventory scan no longer finds it', event: null, resource: { type: 'AwsSecretsManagerSecret', name: 'rotated' } });
    expect(hub.commandCalls(GetFindingsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'p2']);
    expect(hub.commandCalls(GetFindingsCommand)[0].args[0].input.Filters?.GeneratorId).toEqual([{ Value: 'rotation-overdue', Comparison: 'EQUALS' }]);
  });

  test('a scan that covered nothing closes nothing', async () => {
    await expect(resolveUnseen(client, target, { checks: ['rotation-overdue'], scanned: [] }, [], NOW)).resolves.toEqual([]);
    expect(hub).not.toHaveReceivedCommand(GetFindingsCommand);
  });
});

describe('deliver with securityHub on', () => {
  const targets: DeliveryTargets = {
    metricNamespace: 'SecretWatch',
    alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:alerts',
    findingsBusName: 'findings',
    notifyMinSeverity: 'LOW',
    securityHub: true,
    securityHubProductArn: PRODUCT,
  };
  const withHub = { ...clients, securityHub: async () => client };

  test('imports each finding, and announces each closed finding on the bus as resolved', async () => {
    const open = finding('prod/db', 'secret-policy-public');
    hub.on(GetFindingsCommand).resolves({ Findings: [stored(open)] });
    const subject = { check: open.check, account: open.account, region: open.region, resource: open.resource };
    const report = await deliver([finding('new')], withHub, targets, silentLog, NOW, undefined, [{ subject, reason: 'the resource policy was deleted', event: null }]);
    expect(report.securityHub).toEqual({ imported: 1, resolved: 1 });
    const entries = eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries.map((e) => e.DetailType)).toEqual(['Secrets Manager Compliance Finding', RESOLVED_DETAIL_TYPE]);
    expect(JSON.parse(entries[1].Detail ?? '{}')).toMatchObject({ type: 'secretwatch-finding-resolved', id: findingIdOf(open), check: 'secret-policy-public' });
  });

  test('slackResolved: each closed finding also goes to the alert topic, for Slack only; off by default', async () => {
    const open = finding('prod/db', 'secret-policy-public');
    hub.on(GetFindingsCommand).resolves({ Findings: [stored(open)] });
    const subject = { check: open.check, account: open.account, region: open.region, resource: open.resource };
    const resolutions = [{ subject, reason: 'the resource policy was deleted', event: null }];
    await deliver([], withHub, targets, silentLog, NOW, undefined, resolutions);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    await deliver([], withHub, { ...targets, slackResolved: true }, silentLog, NOW, undefined, resolutions);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const [published] = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(published.MessageAttributes?.kind?.StringValue).toBe('resolved');
    expect(published.MessageAttributes?.severityRank).toBeUndefined();
    expect(JSON.parse(JSON.parse(published.Message ?? '{}').default)).toMatchObject({ type: 'secretwatch-finding-resolved', check: 'secret-policy-public' });
  });

  test('an import failure fails the invocation (to be retried) while the other channels still deliver', async () => {
    hub.on(BatchImportFindingsCommand).rejects(new Error('AccessDeniedException'));
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    await expect(deliver([finding('new')], withHub, targets, silentLog, NOW)).rejects.toBeInstanceOf(NotificationError);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });

  test('a finding that names no account is logged and left out of Security Hub; the rest are imported', async () => {
    const anonymous = makeFinding({ ...finding('x'), account: null, resource: undefined, secret: { arn: null, name: 'x', id: 'x' } });
    const errors: unknown[] = [];
    const log = { ...silentLog, error: (...args: unknown[]) => errors.push(args) };
    const report = await deliver([anonymous, finding('y')], withHub, targets, log, NOW);
    expect(report.securityHub).toEqual({ imported: 1, resolved: 0 });
    expect(errors).toEqual([
      ['finding not imported into Security Hub: not retried', { check: 'rotation-overdue', reason: 'rotation-overdue: the finding names no account (AwsAccountId is required)' }],
    ]);
  });

  test('securityHub on without a client is a wiring error, not a silent skip', async () => {
    await expect(deliver([finding('y')], clients, targets, silentLog, NOW)).rejects.toThrow('no Security Hub client');
  });
});
