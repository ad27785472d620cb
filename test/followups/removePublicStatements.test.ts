import 'aws-sdk-client-mock-jest';
import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { removePublicStatements } from '../../src/followups/removePublicStatements';

const sm = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: 'us-east-1' });
const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf';
const ctx = { owner: '111122223333', trustedAccounts: [], trustedOrgId: null };

const owner = { Sid: 'App', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const partner = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:role/Reader' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const everyone = { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const anyoneElse = { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: 'secretsmanager:*', Resource: '*' };
const guard = { Sid: 'Guard', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' };

function currentPolicy(policy: unknown) {
  sm.on(GetResourcePolicyCommand).resolves({ ARN, Name: 'prod/db', ResourcePolicy: typeof policy === 'string' ? policy : JSON.stringify(policy) });
}

function written(): Record<string, unknown> {
  const calls = sm.commandCalls(PutResourcePolicyCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0].args[0].input).toMatchObject({ SecretId: ARN, BlockPublicPolicy: true });
  return JSON.parse(calls[0].args[0].input.ResourcePolicy as string) as Record<string, unknown>;
}

beforeEach(() => {
  sm.reset();
  sm.on(PutResourcePolicyCommand).resolves({ ARN, Name: 'prod/db' });
  sm.on(DeleteResourcePolicyCommand).resolves({ ARN, Name: 'prod/db' });
});

test('removes only the public statements and writes the rest back, as written, with BlockPublicPolicy', async () => {
  currentPolicy({ Version: '2012-10-17', Id: 'shared', Statement: [owner, everyone, partner, anyoneElse, guard] });
  const outcome = await removePublicStatements(client(), ARN, ctx);
  expect(outcome).toEqual({
    status: 'applied',
    action: 'removed-statements',
    removedStatements: [
      { index: 1, sid: 'Everyone' },
      { index: 3, sid: null },
    ],
    keptStatements: 3,
    blockPublicPolicy: true,
    reason: 'Removed the public statement(s) "Everyone", #3 and put the other 3 back with BlockPublicPolicy.',
  });
  expect(sm).toHaveReceivedCommandWith(GetResourcePolicyCommand, { SecretId: ARN });
  expect(written()).toEqual({ Version: '2012-10-17', Id: 'shared', Statement: [owner, partner, guard] });
  expect(sm).toHaveReceivedCommandTimes(DeleteResourcePolicyCommand, 0);
});

test('keeps the Statement element name as the policy spelt it', async () => {
  currentPolicy({ version: '2012-10-17', statement: [everyone, owner] });
  await removePublicStatements(client(), ARN, ctx);
  expect(written()).toEqual({ version: '2012-10-17', statement: [owner] });
});

test.each([
  ['every statement is public', { Statement: [everyone, anyoneElse] }],
  ['the only statement is a public object', { Statement: everyone }],
])('deletes the policy when nothing would be left (%s)', async (_what, policy) => {
  currentPolicy(policy);
  const outcome = await removePublicStatements(client(), ARN, ctx);
  expect(outcome).toMatchObject({ status: 'applied', action: 'deleted-policy' });
  expect(sm).toHaveReceivedCommandWith(DeleteResourcePolicyCommand, { SecretId: ARN });
  expect(sm).toHaveReceivedCommandTimes(PutResourcePolicyCommand, 0);
});

test.each([
  ['the secret has no policy any more', undefined, 'The secret has no resource policy any more; nothing was changed.'],
  ['the policy changed and is no longer public', { Statement: [owner, partner] }, 'The current policy is no longer public (it changed after this event); it was left as it is.'],
])('changes nothing when %s: the event was stale', async (_what, policy, reason) => {
  if (policy === undefined) sm.on(GetResourcePolicyCommand).resolves({ ARN, Name: 'prod/db' });
  else currentPolicy(policy);
  expect(await removePublicStatements(client(), ARN, ctx)).toEqual({ status: 'not-needed', reason });
  expect(sm).toHaveReceivedCommandTimes(PutResourcePolicyCommand, 0);
  expect(sm).toHaveReceivedCommandTimes(DeleteResourcePolicyCommand, 0);
});

test('a current policy that cannot be analysed is left alone', async () => {
  currentPolicy('{"Statement": [');
  expect(await removePublicStatements(client(), ARN, ctx)).toEqual({
    status: 'failed',
    reason: expect.stringMatching(/^The current policy could not be analysed \(invalid-json: .*\); it was left as it is\.$/),
  });
  expect(sm).toHaveReceivedCommandTimes(PutResourcePolicyCommand, 0);
});

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

test.each([
  ['reading', GetResourcePolicyCommand, 'Could not read the current policy (AccessDeniedException: not authorized to perform: secretsmanager:GetResourcePolicy); nothing was changed.'],
  ['writing', PutResourcePolicyCommand, 'Could not write the policy back without "Everyone" (AccessDeniedException: not authorized to perform: secretsmanager:GetResourcePolicy); it is still public.'],
])('an API failure while %s is reported, not thrown', async (_when, command, reason) => {
  currentPolicy({ Statement: [owner, everyone] });
  sm.on(command as typeof GetResourcePolicyCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: secretsmanager:GetResourcePolicy'));
  expect(await removePublicStatements(client(), ARN, ctx)).toEqual({ status: 'failed', reason });
});

test('a failed deletion is reported: the secret is still public', async () => {
  currentPolicy({ Statement: [everyone] });
  sm.on(DeleteResourcePolicyCommand).rejects(awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."));
  expect(await removePublicStatements(client(), ARN, ctx)).toEqual({
    status: 'failed',
    reason: "Could not delete the policy (ResourceNotFoundException: Secrets Manager can't find the specified secret.); it is still public.",
  });
});

test('Secrets Manager refusing the remaining policy (BlockPublicPolicy) is reported with its message', async () => {
  currentPolicy({ Statement: [everyone, { ...owner, Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }] });
  sm.on(PutResourcePolicyCommand).rejects(awsError('PublicPolicyException', 'BlockPublicPolicy: the policy allows broad access.'));
  expect(await removePublicStatements(client(), ARN, ctx)).toMatchObject({ status: 'failed', reason: expect.stringContaining('PublicPolicyException: BlockPublicPolicy') });
});

describe('a principal list that mixes "*" with legitimate principals', () => {
  const mixed = { Sid: 'Mixed', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/App', '*'] }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };

  test('loses only the "*": the role keeps its access, the statement stays', async () => {
    currentPolicy({ Version: '2012-10-17', Statement: [mixed, partner] });
    expect(await removePublicStatements(client(), ARN, ctx)).toEqual({
      status: 'applied',
      action: 'removed-statements',
      removedStatements: [],
      narrowedStatements: [{ index: 0, sid: 'Mixed', removedPrincipals: ['*'] }],
      keptStatements: 2,
      blockPublicPolicy: true,
      reason: 'Took "*" from "Mixed" (the other principals keep their access) and put the policy back (2 statement(s)) with BlockPublicPolicy.',
    });
    expect(written()).toEqual({ Version: '2012-10-17', Statement: [{ ...mixed, Principal: { AWS: 'arn:aws:iam::111122223333:role/App' } }, partner] });
  });

  test('a wildcarded ARN goes too, and other principal types stay', async () => {
    const wild = { ...mixed, Principal: { AWS: ['arn:aws:iam::*:root'], Service: 'lambda.amazonaws.com' } };
    currentPolicy({ Statement: [wild, owner] });
    const outcome = await removePublicStatements(client(), ARN, ctx);
    expect(outcome).toMatchObject({ status: 'applied', narrowedStatements: [{ index: 0, removedPrincipals: ['arn:aws:iam::*:root'] }] });
    // The service principal left alone, without a condition, acts for any account: cross-account, no longer public.
    expect(written()).toEqual({ Statement: [{ ...wild, Principal: { Service: 'lambda.amazonaws.com' } }, owner] });
  });

  test('a statement still public once the "*" is gone (a public identity provider beside it) is removed whole', async () => {
    const stillOpen = { ...mixed, Principal: { AWS: ['*', 'arn:aws:iam::111122223333:role/App'], Federated: 'accounts.google.com' } };
    currentPolicy({ Statement: [stillOpen, owner] });
    const outcome = await removePublicStatements(client(), ARN, ctx);
    expect(outcome).toMatchObject({ status: 'applied', removedStatements: [{ index: 0, sid: 'Mixed' }] });
    expect(outcome).not.toHaveProperty('narrowedStatements');
    expect(written()).toEqual({ Statement: [owner] });
  });
});

describe("only the event's own secret is changed", () => {
  test.each([
    ['another account', 'arn:aws:secretsmanager:us-east-1:999988887777:secret:prod/db-XyZxYz', null, 'account 111122223333'],
    ['another region', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-XyZxYz', 'us-east-1', 'region us-east-1'],
  ])('a secret of the same name in %s is left alone', async (_where, reached, region, named) => {
    sm.on(GetResourcePolicyCommand).resolves({ ARN: reached, Name: 'prod/db', ResourcePolicy: JSON.stringify({ Statement: [everyone] }) });
    const outcome = await removePublicStatements(client(), 'prod/db', ctx, region);
    expect(outcome).toEqual({ status: 'skipped', reason: expect.stringContaining(`The event is about a secret in ${named}; the secret of that name this function reaches is ${reached}`) });
    expect(sm).toHaveReceivedCommandTimes(PutResourcePolicyCommand, 0);
    expect(sm).toHaveReceivedCommandTimes(DeleteResourcePolicyCommand, 0);
  });

  test('an event that does not say whose secret it is changes nothing, and reads nothing', async () => {
    expect(await removePublicStatements(client(), 'prod/db', { ...ctx, owner: null })).toEqual({
      status: 'skipped',
      reason: 'The event does not say which account the secret is in; nothing was changed.',
    });
    expect(sm).toHaveReceivedCommandTimes(GetResourcePolicyCommand, 0);
  });
});
