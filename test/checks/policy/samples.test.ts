import { policyChecks } from '../../helpers/checks';
import { runEventChecks } from '../../../src/checks/check';
import { ctx, expectSecretFinding, FINDING_KEYS, sampleRecord, samplesOf } from '../../helpers/fixtures';

const PANTHER_ARN = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:paloma/example-secret-xxxxxx';
const STREAMALERT_ARN = 'arn:aws:secretsmanager:us-east-1:123456789123:secret:test-zeCISw';
const PANTHER_CONDITIONS =
  'StringEquals aws:PrincipalOrgID pins the caller to organization "o-xxxxxxxxxx"; the other conditions do not identify the caller (ForAnyValue:StringLike aws:PrincipalArn "arn:aws:iam::*:role/ExampleDeploymentRole*" allows any account)';

// Every real PutResourcePolicy record in the samples, and the finding it must give with the
// default settings, field by field.
const expected: Record<string, object> = {
  // Principal "*" pinned by aws:PrincipalOrgID to o-xxxxxxxxxx, which is not trustedOrgId (unset):
  // cross-account. The aws:PrincipalArn condition has a wildcard account and pins nothing. The
  // third statement names roles of the owner account: private.
  'PutResourcePolicy/panther-1.json': {
    check: 'secret-policy-cross-account',
    severity: 'HIGH',
    title: 'Secret paloma/example-secret shared with organization o-xxxxxxxxxx by its resource policy',
    secret: { arn: PANTHER_ARN, name: 'paloma/example-secret', id: PANTHER_ARN },
    account: '123456789012',
    region: 'us-west-2',
    actor: {
      arn: 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ExampleRole_xxxxxxxxxxxxxxxx/example.user',
      type: 'AssumedRole',
      sourceIp: '10.0.0.1',
      userAgent: expect.stringContaining('Chrome/133'),
    },
    event: { id: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', name: 'PutResourcePolicy', time: '2025-03-05T19:48:47Z' },
    details: {
      access: 'cross-account',
      openTo: ['anyone (Principal "*"), within organization "o-xxxxxxxxxx"'],
      organizations: ['o-xxxxxxxxxx'],
      allowsGetSecretValue: true,
      statements: [0, 1].map((index) => ({
        sid: null,
        index,
        access: 'cross-account',
        openTo: 'anyone (Principal "*"), within organization "o-xxxxxxxxxx"',
        organizations: ['o-xxxxxxxxxx'],
        actions: ['secretsmanager:GetSecretValue'],
        allowsGetSecretValue: true,
        conditions: PANTHER_CONDITIONS,
      })),
      policyStatements: 3,
      denyStatements: 0,
      blockPublicPolicy: true,
    },
    remediation: `If this sharing is not intended, revert it by removing the policy (aws secretsmanager delete-resource-policy --secret-id ${PANTHER_ARN} --region us-west-2) and putting back only the intended statements, without statements #0 and #1 (aws secretsmanager put-resource-policy --secret-id ${PANTHER_ARN} --region us-west-2 --block-public-policy --resource-policy file://policy.json). If it is intended, add the account to trustedAccounts (or the organization as trustedOrgId) so that it is not reported again.`,
  },
  // Principal "*", no condition: public. The record was redacted by its publisher ("..." for the
  // identity); the account comes from recipientAccountId, the ARN from the pre-2024 "aRN" key.
  'PutResourcePolicy/streamalert-1.json': {
    check: 'secret-policy-public',
    severity: 'CRITICAL',
    title: 'Secret test made public by its resource policy: anyone may read its value',
    secret: { arn: STREAMALERT_ARN, name: 'test', id: 'test' },
    account: '123456789123',
    region: 'us-east-1',
    actor: { arn: '...', type: '...', sourceIp: '...', userAgent: '...' },
    event: { id: '...', name: 'PutResourcePolicy', time: '2019-07-10T18:00:58Z' },
    details: {
      access: 'public',
      openTo: ['anyone (Principal "*")'],
      allowsGetSecretValue: true,
      statements: [
        {
          sid: null,
          index: 0,
          access: 'public',
          openTo: 'anyone (Principal "*")',
          actions: ['secretsmanager:GetSecretValue'],
          allowsGetSecretValue: true,
          conditions: 'no Condition: nothing restricts the caller',
        },
      ],
      policyStatements: 1,
      denyStatements: 0,
      blockPublicPolicy: null,
    },
    remediation: `Revert now by removing the policy: aws secretsmanager delete-resource-policy --secret-id ${STREAMALERT_ARN} --region us-east-1. Then put back only the intended statements (without statement #0): aws secretsmanager put-resource-policy --secret-id ${STREAMALERT_ARN} --region us-east-1 --block-public-policy --resource-policy file://policy.json. Its value may have been read meanwhile: rotate it (aws secretsmanager rotate-secret --secret-id ${STREAMALERT_ARN} --region us-east-1) and look in CloudTrail for GetSecretValue calls from other accounts.`,
  },
};

describe('policy checks on the real samples', () => {
  test('every PutResourcePolicy sample has an expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(samplesOf('PutResourcePolicy'));
  });

  test.each(Object.entries(expected))('%s', (path, finding) => {
    const findings = runEventChecks(policyChecks, sampleRecord(path), ctx());
    expect(findings).toHaveLength(1);
    expectSecretFinding(findings[0], finding);
    expect(Object.keys(findings[0])).toEqual(FINDING_KEYS);
  });

  test('panther-1 with its organization as trustedOrgId: the change stays within the trusted organization (LOW)', () => {
    const [finding] = runEventChecks(policyChecks, sampleRecord('PutResourcePolicy/panther-1.json'), ctx({ trustedOrgId: 'o-xxxxxxxxxx' }));
    expect(finding).toMatchObject({
      check: 'secret-policy-changed',
      severity: 'LOW',
      title: 'Resource policy of secret paloma/example-secret changed; access stays within account 123456789012 and the trusted organization',
      details: { access: 'private', policyStatements: 3, blockPublicPolicy: true },
    });
    expect((finding.details.statements as { index: number; access: string }[]).map((s) => [s.index, s.access])).toEqual([
      [0, 'private'],
      [1, 'private'],
      [2, 'private'],
    ]);
    expect(finding.details.openTo).toEqual([
      'anyone (Principal "*"), within the trusted organization o-xxxxxxxxxx',
      "arn:aws:iam::123456789012:role/ExampleRoleAssumption1 (the owner's account 123456789012) and arn:aws:iam::123456789012:role/ExampleRoleAssumption2 (the owner's account 123456789012)",
    ]);
  });

  test('no other sample reaches the policy checks', () => {
    const others = ['GetResourcePolicy', 'DeleteSecret', 'CreateSecret', 'GetSecretValue'].flatMap(samplesOf);
    for (const path of others) expect(runEventChecks(policyChecks, sampleRecord(path), ctx())).toEqual([]);
  });
});
