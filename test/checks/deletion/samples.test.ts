import { deletionChecks } from '../../helpers/checks';
import { expectSampleVerdict, samplesOf } from '../../helpers/fixtures';

// Every real DeleteSecret / RestoreSecret / GetSecretValue record in the samples, and the finding
// it must give, field by field.
const expected: Record<string, object | null> = {
  'DeleteSecret/awsdocs-smdocs-1.json': {
    check: 'secret-deletion-scheduled',
    severity: 'MEDIUM',
    title: 'Secret MyDatabaseSecret scheduled for deletion on 2018-05-03 (30-day window)',
    secret: { arn: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3', name: 'MyDatabaseSecret', id: 'MyDatabaseSecret' },
    account: '123456789012',
    region: 'us-east-2',
    actor: { arn: 'arn:aws:iam::123456789012:root', type: 'Root', sourceIp: null, userAgent: null },
    event: { id: 'EXAMPLE3-90ab-cdef-fedc-ba987EXAMPLE', name: 'DeleteSecret', time: '2018-04-03T17:51:02Z' },
    details: { deletionDate: '2018-05-03T17:51:02Z', recoveryWindowInDays: 30, minRecoveryWindowDays: 30 },
    remediation:
      'If this was not intended, restore it before 2018-05-03T17:51:02Z: aws secretsmanager restore-secret --secret-id arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3 --region us-east-2',
  },
  'DeleteSecret/awsdocs-smdocs-2.json': {
    check: 'secret-deletion-scheduled',
    severity: 'MEDIUM',
    secret: { arn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:MyDatabaseSecret-p5mycT', name: 'MyDatabaseSecret', id: 'MyDatabaseSecret' },
    account: '123456789012',
    region: 'us-west-2',
    details: { deletionDate: '2018-05-03T17:51:02Z', recoveryWindowInDays: 30, minRecoveryWindowDays: 30 },
  },
  'DeleteSecret/invictus-awsds-1.json': {
    check: 'secret-force-deleted',
    severity: 'CRITICAL',
    title: 'Secret stratus-red-team-retrieve-secret-7 was force-deleted with no recovery window',
    secret: {
      arn: 'arn:aws:secretsmanager:us-east-1:123837392027:secret:stratus-red-team-retrieve-secret-7-nFvpuv',
      name: 'stratus-red-team-retrieve-secret-7',
      id: 'arn:aws:secretsmanager:us-east-1:123837392027:secret:stratus-red-team-retrieve-secret-7-nFvpuv',
    },
    account: '123837392027',
    region: 'us-east-1',
    actor: {
      arn: 'arn:aws:iam::123837392027:user/bert-jan',
      type: 'IAMUser',
      sourceIp: '192.168.10.20',
      userAgent: expect.stringContaining('Terraform/1.1.2'),
    },
    event: { id: 'dbf59de5-4d63-4aca-9fce-a657f5df89c9', name: 'DeleteSecret', time: '2023-07-10T12:07:59Z' },
    details: { forceDeleteWithoutRecovery: true },
    remediation: expect.stringContaining('aws secretsmanager create-secret --name stratus-red-team-retrieve-secret-7 --region us-east-1'),
  },
  'DeleteSecret/invictus-awsds-2.json': {
    check: 'secret-force-deleted',
    severity: 'CRITICAL',
    secret: {
      arn: 'arn:aws:secretsmanager:us-east-1:123837392027:secret:stratus-red-team-retrieve-secret-0-xehWok',
      name: 'stratus-red-team-retrieve-secret-0',
      id: 'arn:aws:secretsmanager:us-east-1:123837392027:secret:stratus-red-team-retrieve-secret-0-xehWok',
    },
    event: { id: '963b9b1e-70e4-4c39-ac9a-8174ed5c8c09', name: 'DeleteSecret', time: '2023-07-10T12:07:59Z' },
  },
  'DeleteSecret/permiso-ccc-1.json': {
    check: 'secret-deletion-scheduled',
    severity: 'MEDIUM',
    secret: { arn: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b', name: 'myNewSecretName', id: 'myNewSecretName' },
    // The trimmed record has no recipientAccountId or userIdentity: the account comes from the ARN.
    account: '200802171337',
    region: 'us-east-1',
    actor: { arn: null, type: null, sourceIp: null, userAgent: expect.stringContaining('Chrome/118') },
    event: { id: '55cdf183-64b2-4f8b-a600-731f60938da4', name: 'DeleteSecret', time: '2023-12-08T04:26:16Z' },
    details: { deletionDate: '2024-01-07T04:26:16Z', recoveryWindowInDays: 30, minRecoveryWindowDays: 30 },
  },
  'RestoreSecret/permiso-ccc-1.json': {
    check: 'secret-restored',
    severity: 'INFO',
    title: 'Secret myNewSecretName was restored',
    secret: {
      arn: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b',
      name: 'myNewSecretName',
      id: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b',
    },
    account: '200802171337',
    region: 'us-east-1',
    event: { id: 'db0e72b0-f482-4af3-9b88-96b901840a6f', name: 'RestoreSecret', time: '2023-12-08T04:27:27Z' },
    details: {},
  },
};

// No published GetSecretValue record is a read of a secret pending deletion: none gives a finding.
for (const path of samplesOf('GetSecretValue')) expected[path] = null;

describe('deletion checks on the real samples', () => {
  test('every DeleteSecret, RestoreSecret and GetSecretValue sample has an expectation', () => {
    const all = [...samplesOf('DeleteSecret'), ...samplesOf('RestoreSecret'), ...samplesOf('GetSecretValue')];
    expect(Object.keys(expected).sort()).toEqual(all.sort());
  });

  test.each(Object.entries(expected))('%s', (path, finding) => {
    expectSampleVerdict(deletionChecks, path, finding);
  });
});
