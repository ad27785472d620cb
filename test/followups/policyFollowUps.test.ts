import 'aws-sdk-client-mock-jest';
import { AccessAnalyzerClient, CheckNoPublicAccessCommand } from '@aws-sdk/client-accessanalyzer';
import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { policyChecks } from '../helpers/checks';
import { runEventChecks } from '../../src/checks/check';
import { DEFAULT_CONFIG } from '../../src/config/config';
import { parseEvent } from '../../src/events/parse';
import type { Finding } from '../../src/findings/finding';
import { accessAnalyzerFollowUp } from '../../src/followups/accessAnalyzerFollowUp';
import { policyMonitor } from '../../src/monitors';
import { followUpsOf } from '../../src/runtime/followUp';
import { policyText } from '../../src/followups/policyText';
import { remediationFollowUp } from '../../src/followups/remediationFollowUp';
import { ctx, derive, sample } from '../helpers/fixtures';

const aa = mockClient(AccessAnalyzerClient);
const sm = mockClient(SecretsManagerClient);
const STREAMALERT = 'PutResourcePolicy/streamalert-1.json'; // public
const PANTHER = 'PutResourcePolicy/panther-1.json'; // cross-account
const STREAMALERT_ARN = 'arn:aws:secretsmanager:us-east-1:123456789123:secret:test-zeCISw';

function checked(event: Record<string, unknown>) {
  const record = parseEvent(event).record;
  const findings = runEventChecks(policyChecks, record, ctx());
  expect(findings).toHaveLength(1);
  return { record, finding: findings[0] };
}

beforeEach(() => {
  aa.reset();
  sm.reset();
});

describe('confirmWithAccessAnalyzer', () => {
  const followUp = () => accessAnalyzerFollowUp(() => true, new AccessAnalyzerClient({ region: 'us-east-1' }));

  test("sends the event's policy as a secret policy; agreeing verdicts go into details only", async () => {
    aa.on(CheckNoPublicAccessCommand).resolves({ result: 'FAIL', message: 'The policy grants public access.', reasons: [{ description: 'Principal * with no condition', statementIndex: 0 }] });
    const { record, finding } = checked(sample(STREAMALERT));
    const out = await followUp().run(finding, record);
    expect(aa).toHaveReceivedCommandWith(CheckNoPublicAccessCommand, { policyDocument: record.requestParameters.resourcePolicy as string, resourceType: 'AWS::SecretsManager::Secret' });
    expect(out.details.accessAnalyzer).toEqual({
      status: 'checked',
      result: 'FAIL',
      public: true,
      message: 'The policy grants public access.',
      reasons: [{ description: 'Principal * with no condition', statementId: null, statementIndex: 0 }],
      agrees: true,
    });
    expect({ title: out.title, remediation: out.remediation }).toEqual({ title: finding.title, remediation: finding.remediation });
    expect(Object.keys(out)).toEqual(Object.keys(finding));
  });

  test('Access Analyzer finds public what SecretWatch calls cross-account: the title and the remediation say so first', async () => {
    aa.on(CheckNoPublicAccessCommand).resolves({ result: 'FAIL', reasons: [] });
    const { record, finding } = checked(sample(PANTHER));
    const out = await followUp().run(finding, record);
    expect(out.title).toBe(`${finding.title} (IAM Access Analyzer disagrees)`);
    expect(out.remediation).toBe(`IAM Access Analyzer disagrees: it finds this policy public (FAIL), SecretWatch does not. Review the policy by hand. ${finding.remediation}`);
    expect(out.details.accessAnalyzer).toMatchObject({ result: 'FAIL', agrees: false, disagreement: expect.stringContaining('SecretWatch does not') });
  });

  test('Access Analyzer finds no public access where SecretWatch does: said the other way round', async () => {
    aa.on(CheckNoPublicAccessCommand).resolves({ result: 'PASS', message: 'no public access' });
    const { record, finding } = checked(sample(STREAMALERT));
    const out = await followUp().run(finding, record);
    expect(out.details.accessAnalyzer).toMatchObject({
      result: 'PASS',
      public: false,
      agrees: false,
      disagreement: 'IAM Access Analyzer disagrees: it finds no public access in this policy (PASS), SecretWatch does.',
    });
    expect(out.title).toMatch(/\(IAM Access Analyzer disagrees\)$/);
  });

  test("a policy SecretWatch could not analyse: Access Analyzer's is the only verdict", async () => {
    aa.on(CheckNoPublicAccessCommand).resolves({ result: 'FAIL' });
    const event = derive(PANTHER, (r) => {
      (r.requestParameters as Record<string, unknown>).resourcePolicy = '{"Statement":[{"Effect":"Allow","Principal":{"AWS":7},"Action":"*"}]}';
    });
    const { record, finding } = checked(event);
    expect(finding.check).toBe('secret-policy-changed');
    const out = await followUp().run(finding, record);
    expect(out.details.accessAnalyzer).toMatchObject({ result: 'FAIL', agrees: null, note: 'SecretWatch could not analyse the policy; IAM Access Analyzer finds it public.' });
    expect(out.remediation.startsWith('SecretWatch could not analyse the policy; IAM Access Analyzer finds it public.')).toBe(true);
  });

  test.each([
    [
      Object.assign(new Error('User is not authorized to perform: access-analyzer:CheckNoPublicAccess'), { name: 'AccessDeniedException' }),
      'AccessDeniedException: User is not authorized to perform: access-analyzer:CheckNoPublicAccess',
    ],
    [Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), 'ThrottlingException: Rate exceeded'],
  ])('a failed call (%s) is noted and the finding goes on unchanged', async (error, reason) => {
    aa.on(CheckNoPublicAccessCommand).rejects(error);
    const { record, finding } = checked(sample(STREAMALERT));
    const out = await followUp().run(finding, record);
    expect(out.details.accessAnalyzer).toEqual({ status: 'failed', reason });
    expect(out.title).toBe(finding.title);
  });

  test('an unexpected result is not taken for a verdict', async () => {
    aa.on(CheckNoPublicAccessCommand).resolves({ result: 'MAYBE' as 'PASS' });
    const { record, finding } = checked(sample(STREAMALERT));
    expect((await followUp().run(finding, record)).details.accessAnalyzer).toEqual({ status: 'failed', reason: 'unexpected result "MAYBE"' });
  });

  test('an event with no policy is skipped without a call', async () => {
    const event = derive(PANTHER, (r) => {
      delete (r.requestParameters as Record<string, unknown>).resourcePolicy;
    });
    const { record, finding } = checked(event);
    expect((await followUp().run(finding, record)).details.accessAnalyzer).toEqual({ status: 'skipped', reason: 'the event carries no policy to check' });
    expect(aa).toHaveReceivedCommandTimes(CheckNoPublicAccessCommand, 0);
  });

  test('applies to verdicts on a new policy only, not to deletions or refused calls', () => {
    const [f] = followUpsOf(policyMonitor, { ...DEFAULT_CONFIG, confirmWithAccessAnalyzer: true });
    const of = (check: string) => ({ check }) as Finding;
    expect(['secret-policy-public', 'secret-policy-cross-account', 'secret-policy-changed'].every((c) => f.applies(of(c)))).toBe(true);
    expect(['secret-policy-deleted', 'secret-policy-change-denied', 'secret-force-deleted'].some((c) => f.applies(of(c)))).toBe(false);
  });
});

describe('remediatePublicPolicy', () => {
  const followUp = () => remediationFollowUp(DEFAULT_CONFIG, () => true, new SecretsManagerClient({ region: 'us-east-1' }));

  test('applies to public findings only: a cross-account finding is left alone', () => {
    const [f] = followUpsOf(policyMonitor, { ...DEFAULT_CONFIG, remediatePublicPolicy: true });
    expect(f.applies(checked(sample(STREAMALERT)).finding)).toBe(true);
    expect(f.applies(checked(sample(PANTHER)).finding)).toBe(false);
  });

  test('says what it did first, and still asks for a rotation of a value that was readable', async () => {
    sm.on(GetResourcePolicyCommand).resolves({
      ARN: STREAMALERT_ARN,
      ResourcePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }),
    });
    sm.on(DeleteResourcePolicyCommand).resolves({});
    const { record, finding } = checked(sample(STREAMALERT));
    const out = await followUp().run(finding, record);
    expect(sm).toHaveReceivedCommandWith(GetResourcePolicyCommand, { SecretId: STREAMALERT_ARN });
    expect(out.details.autoRemediation).toEqual({
      status: 'applied',
      action: 'deleted-policy',
      removedStatements: [{ index: 0, sid: null }],
      reason: 'Every statement of the policy made the secret public (#0): the policy was deleted.',
    });
    expect(out.remediation).toBe(
      `Remediated automatically: Every statement of the policy made the secret public (#0): the policy was deleted. Check the result with aws secretsmanager get-resource-policy --secret-id ${STREAMALERT_ARN} --region us-east-1. Its value may have been read while it was public: rotate it (aws secretsmanager rotate-secret --secret-id ${STREAMALERT_ARN} --region us-east-1) and look in CloudTrail for GetSecretValue calls from other accounts.`,
    );
    expect(out.check).toBe('secret-policy-public');
    expect(out.severity).toBe('CRITICAL');
  });

  test('says why it did nothing, followed by the manual steps', async () => {
    sm.on(GetResourcePolicyCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const { record, finding } = checked(sample(STREAMALERT));
    const out = await followUp().run(finding, record);
    expect(out.details.autoRemediation).toEqual({ status: 'failed', reason: 'Could not read the current policy (AccessDeniedException: not authorized); nothing was changed.' });
    expect(out.remediation).toBe(`Not remediated automatically: Could not read the current policy (AccessDeniedException: not authorized); nothing was changed. ${finding.remediation}`);
    expect(sm).toHaveReceivedCommandTimes(PutResourcePolicyCommand, 0);
  });

  test('an event from another account that names the secret only by name leaves the local secret of that name alone', async () => {
    const local = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:test-AbCdEf';
    sm.on(GetResourcePolicyCommand).resolves({
      ARN: local,
      ResourcePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }),
    });
    const event = derive(STREAMALERT, (r) => {
      r.requestParameters = { ...(r.requestParameters as Record<string, unknown>), secretId: 'test' };
      r.responseElements = null;
    });
    const { record, finding } = checked(event);
    expect(finding.account).toBe('123456789123');
    const out = await followUp().run(finding, record);
    expect(out.details.autoRemediation).toEqual({
      status: 'skipped',
      reason: `The event is about a secret in account 123456789123; the secret of that name this function reaches is ${local}, another one. Nothing was changed: remediate it from its own account.`,
    });
    expect(sm).toHaveReceivedCommandTimes(PutResourcePolicyCommand, 0);
    expect(sm).toHaveReceivedCommandTimes(DeleteResourcePolicyCommand, 0);
  });

  test('a finding that does not name its secret is not remediated', async () => {
    const { record, finding } = checked(sample(STREAMALERT));
    const out = await followUp().run({ ...finding, resource: { ...finding.resource, arn: null, name: null, id: null } }, record);
    expect(out.details.autoRemediation).toEqual({ status: 'failed', reason: 'The event does not name the secret; nothing was changed.' });
    expect(sm).toHaveReceivedCommandTimes(GetResourcePolicyCommand, 0);
  });
});

describe("policyMonitor's follow-ups", () => {
  test('none by default; the second opinion before the remediation when both are on', () => {
    expect(followUpsOf(policyMonitor, DEFAULT_CONFIG)).toEqual([]);
    expect(followUpsOf(policyMonitor, { ...DEFAULT_CONFIG, remediatePublicPolicy: true }).map((f) => f.name)).toEqual(['autoRemediation']);
    expect(followUpsOf(policyMonitor, { ...DEFAULT_CONFIG, remediatePublicPolicy: true, confirmWithAccessAnalyzer: true }).map((f) => f.name)).toEqual(['accessAnalyzer', 'autoRemediation']);
  });

  test('each step loads its module and client on its first run, and runs the real thing', async () => {
    aa.on(CheckNoPublicAccessCommand).resolves({ result: 'FAIL' });
    sm.on(GetResourcePolicyCommand).resolves({ ARN: STREAMALERT_ARN });
    const steps = followUpsOf(policyMonitor, { ...DEFAULT_CONFIG, remediatePublicPolicy: true, confirmWithAccessAnalyzer: true });
    const { record, finding } = checked(sample(STREAMALERT));
    expect(steps.map((s) => s.applies(finding))).toEqual([true, true]);
    const afterOpinion = await steps[0].run(finding, record);
    const afterRemediation = await steps[1].run(afterOpinion, record);
    expect(afterRemediation.details.accessAnalyzer).toMatchObject({ result: 'FAIL', agrees: true });
    expect(afterRemediation.details.autoRemediation).toEqual({ status: 'not-needed', reason: 'The secret has no resource policy any more; nothing was changed.' });
    expect(steps.map((s) => s.applies(checked(sample(PANTHER)).finding))).toEqual([true, false]);
  });
});

describe('policyText: what is sent to Access Analyzer', () => {
  test.each([
    ['{"Statement":[]}', '{"Statement":[]}'],
    ['  ', null],
    [{ Statement: [] }, '{"Statement":[]}'],
    [undefined, null],
    [42, null],
  ])('%j -> %j', (value, text) => {
    expect(policyText(value)).toBe(text);
  });

  test('an object too deep to serialise is no policy to send, not a crash', () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 100_000; i++) nested = [nested];
    expect(policyText({ Statement: nested })).toBeNull();
  });
});
