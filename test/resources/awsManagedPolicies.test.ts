/**
 * The AWS managed policies shipped for replay (scripts/build-managed-policies.ts): what it holds,
 * and what it answers for a policy or a version it does not.
 */
import { AWS_MANAGED_POLICY_TABLE, awsManagedPolicyLookup } from '../../src/resources/awsManagedPolicies';
import table from '../../src/resources/awsManagedPolicies.json';

const lookup = awsManagedPolicyLookup();

test('the table says where its documents come from and when it was built', () => {
  expect(AWS_MANAGED_POLICY_TABLE.source).toMatch(/^AWS managed policies as published by AWS, from moto \d+\.\d+\.\d+/);
  expect(AWS_MANAGED_POLICY_TABLE.built).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test.each(['AdministratorAccess', 'PowerUserAccess', 'SecretsManagerReadWrite', 'ReadOnlyAccess'])('%s is shipped, with its Secrets Manager statements', (name) => {
  const result = lookup.policy(`arn:aws:iam::aws:policy/${name}`, null, 'document');
  expect(result).toMatchObject({ status: 'found', source: 'aws-managed-policy-table', versionId: (table.policies as Record<string, { versionId: string }>)[name].versionId });
  expect(result.status === 'found' && (result.document as { Statement: unknown[] }).Statement.length).toBeGreaterThan(0);
});

test('a managed policy that grants nothing on secrets is known, with no statement', () => {
  expect(table.grantNothing).toContain('AmazonS3ReadOnlyAccess');
  expect(lookup.policy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', null, 'document')).toMatchObject({ status: 'found', document: { Statement: [] } });
});

test('the same policies in another partition are found too', () => {
  expect(lookup.policy('arn:aws-us-gov:iam::aws:policy/AdministratorAccess', null, 'document').status).toBe('found');
});

test.each([
  ['a customer-managed policy', 'arn:aws:iam::123456789012:policy/DevSvcPolicy', null, /^not an AWS managed policy/],
  ['an AWS managed policy the table does not hold', 'arn:aws:iam::aws:policy/NotYetPublished', null, /^not in the table of AWS managed policies shipped with SecretWatch \(as of \d{4}-\d{2}-\d{2}\)$/],
  ['another version than the shipped one', 'arn:aws:iam::aws:policy/AdministratorAccess', 'v99', /^version v99 is not the one shipped \(v1, as of/],
  ['not an ARN', 'AdministratorAccess', null, /^not an AWS managed policy/],
])('%s is unavailable, with the reason', (_name, arn, version, reason) => {
  const result = lookup.policy(arn, version, 'document');
  expect(result.status).toBe('unavailable');
  expect(result.status === 'unavailable' && result.reason).toMatch(reason);
});
