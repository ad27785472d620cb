/**
 * The identity monitor's reading of the policy an event names: which IAM calls for which event,
 * and what each failure becomes (unavailable to the checks, or thrown so the event is retried).
 */
import 'aws-sdk-client-mock-jest';
import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient, ListEntitiesForPolicyCommand, ListPolicyVersionsCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { parseEvent } from '../../src/events/parse';
import type { CloudTrailRecord } from '../../src/events/record';
import { IamPolicyReader } from '../../src/runtime/policyReader';

const POLICY = 'arn:aws:iam::123456789012:policy/DevSvcPolicy';
const DOCUMENT = encodeURIComponent('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');

function record(eventName: string, requestParameters: Record<string, unknown>, responseElements: Record<string, unknown> | null = null): CloudTrailRecord {
  return parseEvent({
    eventVersion: '1.08',
    eventTime: '2024-05-01T00:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    eventID: 'e-1',
    recipientAccountId: '123456789012',
    requestParameters,
    responseElements,
  }).record;
}

function error(name: string): Error {
  return Object.assign(new Error(`${name} happened`), { name });
}

const iam = mockClient(IAMClient);
const warnings: unknown[][] = [];
const log = { warn: (...args: unknown[]) => warnings.push(args) };
const reader = new IamPolicyReader(new IAMClient({ region: 'us-east-1' }));

beforeEach(() => {
  iam.reset();
  warnings.length = 0;
});

test('an attachment: the default version, then its document; nothing listed', async () => {
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: POLICY, DefaultVersionId: 'v3' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: DOCUMENT, VersionId: 'v3' } });
  const { policies } = await reader.read(record('AttachRolePolicy', { roleName: 'app', policyArn: POLICY }), log);
  expect(policies?.policy(POLICY, null, 'document')).toEqual({ status: 'found', document: DOCUMENT, versionId: 'v3', source: 'iam', attachedTo: null, previousVersionId: null });
  expect(policies?.policy('arn:aws:iam::aws:policy/Other', null, 'document').status).toBe('unavailable');
  expect(iam).toHaveReceivedCommandWith(GetPolicyVersionCommand, { PolicyArn: POLICY, VersionId: 'v3' });
  expect(iam).not.toHaveReceivedCommand(ListEntitiesForPolicyCommand);
});

test('a new default version: its document, the principals it reaches, and the version to go back to', async () => {
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: DOCUMENT, VersionId: 'v2' } });
  iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyRoles: [{ RoleName: 'app' }], PolicyUsers: [{ UserName: 'bot' }], PolicyGroups: [{ GroupName: 'devs' }], IsTruncated: false });
  iam.on(ListPolicyVersionsCommand).resolves({
    Versions: [
      { VersionId: 'v2', CreateDate: new Date('2024-05-01') },
      { VersionId: 'v1', CreateDate: new Date('2024-01-01') },
      { VersionId: 'v4', CreateDate: new Date('2024-04-01') },
    ],
  });
  const { policies } = await reader.read(record('SetDefaultPolicyVersion', { policyArn: POLICY, versionId: 'v2' }), log);
  const result = policies?.policy(POLICY, 'v2', 'document');
  expect(result).toMatchObject({ status: 'found', versionId: 'v2', previousVersionId: 'v4' });
  expect(result?.status === 'found' && result.attachedTo?.map((p) => p.arn)).toEqual([
    'arn:aws:iam::123456789012:role/app',
    'arn:aws:iam::123456789012:user/bot',
    'arn:aws:iam::123456789012:group/devs',
  ]);
  expect(iam).not.toHaveReceivedCommand(GetPolicyCommand);
});

test('CreatePolicyVersion: no document read (the event has it), the principals listed', async () => {
  iam.on(ListEntitiesForPolicyCommand).resolves({ PolicyRoles: [{ RoleName: 'app' }] });
  iam.on(ListPolicyVersionsCommand).rejects(error('AccessDenied'));
  const rec = record('CreatePolicyVersion', { policyArn: POLICY, setAsDefault: true, policyDocument: '{}' }, { policyVersion: { versionId: 'v5' } });
  const result = (await reader.read(rec, log)).policies?.policy(POLICY, null, 'attachments');
  expect(result).toMatchObject({ status: 'found', document: null, versionId: 'v5', previousVersionId: null });
  expect(iam).not.toHaveReceivedCommand(GetPolicyVersionCommand);
  expect(warnings.map((w) => w[0])).toEqual(['versions of the policy not listed']);
});

test.each(['NoSuchEntityException', 'AccessDenied'])('%s reading the document: unavailable to the checks, said in the log', async (name) => {
  iam.on(GetPolicyCommand).rejects(error(name));
  const result = (await reader.read(record('AttachUserPolicy', { userName: 'u', policyArn: POLICY }), log)).policies?.policy(POLICY, null, 'document');
  expect(result).toEqual({ status: 'unavailable', reason: `${name}: ${name} happened` });
  expect(warnings[0][0]).toBe('identity policy not read: its change is not evaluated');
});

test('throttling or a network error throws: the invocation is retried', async () => {
  iam.on(GetPolicyCommand).rejects(error('Throttling'));
  await expect(reader.read(record('AttachGroupPolicy', { groupName: 'g', policyArn: POLICY }), log)).rejects.toThrow('Throttling happened');
});

test('listing the principals refused: the finding still goes out, without them', async () => {
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: DOCUMENT } });
  iam.on(ListEntitiesForPolicyCommand).rejects(error('AccessDenied'));
  iam.on(ListPolicyVersionsCommand).resolves({ Versions: [] });
  const result = (await reader.read(record('SetDefaultPolicyVersion', { policyArn: POLICY, versionId: 'v2' }), log)).policies?.policy(POLICY, 'v2', 'document');
  expect(result).toMatchObject({ status: 'found', attachedTo: null, attachedToUnavailable: 'AccessDenied: AccessDenied happened' });
});

test.each([
  ['PutRolePolicy', { roleName: 'r', policyName: 'p', policyDocument: '{}' }],
  ['CreatePolicyVersion', { policyArn: POLICY, setAsDefault: false }],
  ['AttachRolePolicy', { roleName: 'r' }],
])('%s %j: nothing to read, no call', async (eventName, params) => {
  expect(await reader.read(record(eventName, params), log)).toEqual({});
  expect(iam.calls()).toHaveLength(0);
});
