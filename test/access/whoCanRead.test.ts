/**
 * Who can read a secret, from authorization-details fixtures: identity policies through groups,
 * boundaries and Denies, the resource policy, trust policies and the KMS key policy.
 */
import { type AccessInput, type AccessReport, type Reader, type SecretKey, whoCanRead } from '../../src/access';
import { Account, allowRead, denyRead, doc, OTHER, OWNER, policyArn, roleArn, SECRET_ARN, trustAccount, userArn } from './accountFixture';

const KEY_ARN = `arn:aws:kms:us-east-1:${OWNER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function run(account: Account, extra: Partial<AccessInput> = {}): AccessReport {
  return whoCanRead({ secret: { ARN: SECRET_ARN, Name: 'prod/db', Tags: [{ Key: 'team', Value: 'payments' }] }, authorizationDetails: account.pages(), ...extra });
}
const principals = (report: AccessReport) => report.readers.map((r) => r.principal);
const reader = (report: AccessReport, principal: string): Reader => {
  const found = report.readers.find((r) => r.principal === principal);
  if (!found) throw new Error(`${principal} is not a reader: ${principals(report).join(', ')}`);
  return found;
};

describe('identity policies', () => {
  it('a role with an inline Allow reads; one without does not', () => {
    const report = run(new Account().role('app', { inline: { read: doc(allowRead({ Sid: 'ReadDb' })) } }).role('idle', { inline: { s3: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) } }));
    expect(principals(report)).toEqual([roleArn('app')]);
    expect(reader(report, roleArn('app'))).toMatchObject({
      type: 'AwsIamRole',
      via: ['identity'],
      otherAccount: false,
      blockedBy: null,
      grants: [{ via: 'identity', policy: 'read', policyType: 'inline', group: null, statement: 'Statement 0 (Sid "ReadDb")', conditions: [] }],
    });
  });

  it('a user reads through a group: inline and attached group policies, the group named on the grant', () => {
    const account = new Account()
      .policy(policyArn('db-readers'), doc(allowRead({ Resource: `arn:aws:secretsmanager:us-east-1:${OWNER}:secret:prod/*` })))
      .group('dba', { attached: [policyArn('db-readers')] })
      .group('ops', { inline: { 'ops-read': doc(allowRead()) } })
      .group('empty')
      .user('alice', { groups: ['dba', 'ops'] })
      .user('bob', { groups: ['empty'] });
    const report = run(account);
    expect(principals(report)).toEqual([userArn('alice')]);
    expect(reader(report, userArn('alice')).grants.map((g) => [g.policy, g.group])).toEqual([
      [policyArn('db-readers'), 'dba'],
      ['ops-read', 'ops'],
    ]);
  });

  it('only the default version of a managed policy counts', () => {
    const account = new Account().policy(policyArn('narrow'), doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })).role('app', { attached: [policyArn('narrow')] });
    expect(principals(run(account))).toEqual([]);
  });

  it('AWS managed policies: SecretsManagerReadWrite reads, SecurityAudit does not', () => {
    // Abridged from the AWS managed policies' default versions: the statements on Secrets Manager.
    const readWrite = 'arn:aws:iam::aws:policy/SecretsManagerReadWrite';
    const securityAudit = 'arn:aws:iam::aws:policy/SecurityAudit';
    const account = new Account()
      .policy(readWrite, doc({ Sid: 'BasePermissions', Effect: 'Allow', Action: ['secretsmanager:*', 'kms:DescribeKey', 'kms:ListAliases', 'tag:GetResources'], Resource: '*' }))
      .policy(securityAudit, doc({ Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:ListSecrets'], Resource: '*' }))
      .role('admin', { attached: [readWrite] })
      .role('auditor', { attached: [securityAudit] });
    const report = run(account);
    expect(principals(report)).toEqual([roleArn('admin')]);
    expect(reader(report, roleArn('admin')).grants[0]).toMatchObject({ policy: readWrite, policyType: 'managed', statement: 'Statement 0 (Sid "BasePermissions")' });
  });

  it('NotAction grants GetSecretValue unless it names it', () => {
    const account = new Account()
      .role('power', { inline: { p: doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }) } })
      .role('no-read', { inline: { p: doc({ Effect: 'Allow', NotAction: 'secretsmanager:GetSecretValue', Resource: '*' }) } });
    expect(principals(run(account))).toEqual([roleArn('power')]);
  });

  it('NotResource: reads every secret but those it excludes', () => {
    const account = new Account()
      .role('not-prod', { inline: { p: doc(allowRead({ Resource: undefined, NotResource: `arn:aws:secretsmanager:*:${OWNER}:secret:prod/*` })) } })
      .role('not-dev', { inline: { p: doc(allowRead({ Resource: undefined, NotResource: `arn:aws:secretsmanager:*:${OWNER}:secret:dev/*` })) } });
    expect(principals(run(account))).toEqual([roleArn('not-dev')]);
  });

  it('a Deny by ARN pattern in another policy removes the read; one on other secrets does not', () => {
    const account = new Account()
      .policy(policyArn('guard-prod'), doc(denyRead({ Resource: `arn:aws:secretsmanager:*:*:secret:prod/*` })))
      .policy(policyArn('guard-dev'), doc(denyRead({ Resource: `arn:aws:secretsmanager:*:*:secret:dev/*` })))
      .role('guarded', { inline: { read: doc(allowRead()) }, attached: [policyArn('guard-prod')] })
      .role('unguarded', { inline: { read: doc(allowRead()) }, attached: [policyArn('guard-dev')] });
    expect(principals(run(account))).toEqual([roleArn('unguarded')]);
  });

  it('a group Deny removes what the user itself is allowed', () => {
    const account = new Account()
      .group('contractors', { inline: { deny: doc({ Effect: 'Deny', Action: 'secretsmanager:*', Resource: '*' }) } })
      .user('carol', { inline: { read: doc(allowRead()) }, groups: ['contractors'] });
    expect(principals(run(account))).toEqual([]);
  });

  it('a conditional Deny in another policy is a condition on the grant', () => {
    const account = new Account().role('app', {
      inline: { read: doc(allowRead()), perimeter: doc(denyRead({ Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })) },
    });
    const [grant] = reader(run(account), roleArn('app')).grants;
    expect(grant.conditions).toEqual(['unless perimeter Statement 0 denies it when NotIpAddress aws:SourceIp = "203.0.113.0/24"']);
  });

  it("tag conditions are decided by the secret's tags; a policy variable stays a condition", () => {
    const tagged = (value: string) => doc(allowRead({ Condition: { StringEquals: { 'secretsmanager:ResourceTag/team': value } } }));
    const account = new Account()
      .role('payments', { inline: { p: tagged('payments') } })
      .role('search', { inline: { p: tagged('search') } })
      .role('abac', { inline: { p: tagged('${aws:PrincipalTag/team}') } });
    const report = run(account);
    expect(principals(report)).toEqual([roleArn('abac'), roleArn('payments')]);
    expect(reader(report, roleArn('payments')).grants[0].conditions).toEqual([]);
    expect(reader(report, roleArn('abac')).grants[0].conditions).toEqual(['StringEquals secretsmanager:ResourceTag/team = "${aws:PrincipalTag/team}"']);
  });

  it('a tag condition with a set qualifier is not decided: it stays a condition', () => {
    const account = new Account().role('ifexists', { inline: { p: doc(allowRead({ Condition: { 'ForAnyValue:StringEquals': { 'aws:ResourceTag/env': ['prod'] } } })) } });
    const [grant] = reader(run(account), roleArn('ifexists')).grants;
    expect(grant.conditions).toEqual(['ForAnyValue:StringEquals aws:ResourceTag/env = "prod"']);
  });

  it('other conditions (MFA, source VPC endpoint) are kept on the grant', () => {
    const account = new Account().user('dave', { inline: { p: doc(allowRead({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })) } });
    expect(reader(run(account), userArn('dave')).grants[0].conditions).toEqual(['Bool aws:MultiFactorAuthPresent = "true"']);
  });
});

describe('permission boundaries', () => {
  const boundary = policyArn('boundary');
  it('a boundary without GetSecretValue removes the permission', () => {
    const account = new Account()
      .policy(boundary, doc({ Effect: 'Allow', Action: ['s3:*', 'logs:*'], Resource: '*' }))
      .role('bounded', { inline: { read: doc(allowRead()) }, boundary })
      .role('free', { inline: { read: doc(allowRead()) } });
    expect(principals(run(account))).toEqual([roleArn('free')]);
  });

  it('a boundary that allows it keeps it; its conditions are added', () => {
    const account = new Account()
      .policy(boundary, doc({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } }))
      .user('erin', { inline: { read: doc(allowRead()) }, boundary });
    expect(reader(run(account), userArn('erin')).grants[0].conditions).toEqual([`permission boundary ${boundary} allows it only when StringEquals aws:SourceVpce = "vpce-1a2b3c4d"`]);
  });

  it('a Deny in the boundary removes the permission', () => {
    const account = new Account().policy(boundary, doc({ Effect: 'Allow', Action: '*', Resource: '*' }, denyRead())).role('bounded', { inline: { read: doc(allowRead()) }, boundary });
    expect(principals(run(account))).toEqual([]);
  });

  it("limits a resource policy's grant to a role, not to a user", () => {
    const account = new Account()
      .policy(boundary, doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }))
      .role('bounded', { boundary })
      .user('frank', { boundary });
    const resourcePolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: [roleArn('bounded'), userArn('frank')] }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    });
    const report = run(account, { resourcePolicy });
    expect(principals(report)).toEqual([userArn('frank')]);
    expect(reader(report, userArn('frank')).via).toEqual(['resource']);
  });
});

describe('the resource policy', () => {
  const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

  it("names another account's role: a reader of the other account, whose own account must also allow it", () => {
    const report = run(new Account(), {
      resourcePolicy: policy({ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: roleArn('etl', OTHER) }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }),
      key: customerKey(delegatingTo(OWNER), { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: roleArn('etl', OTHER) }, Action: 'kms:Decrypt', Resource: '*' }),
    });
    expect(report.readers).toEqual([
      {
        principal: roleArn('etl', OTHER),
        type: 'AwsIamRole',
        account: OTHER,
        otherAccount: true,
        via: ['resource'],
        grants: [
          {
            via: 'resource',
            policy: 'resource policy',
            policyType: 'resource',
            group: null,
            statement: 'Statement 0 (Sid "Partner")',
            conditions: ["its own account's identity policies must also allow secretsmanager:GetSecretValue"],
          },
        ],
        assumableBy: [],
        blockedBy: null,
      },
    ]);
  });

  it('another account reading a secret under the AWS managed key is blocked', () => {
    const report = run(new Account(), { resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'secretsmanager:*', Resource: '*' }) });
    expect(report.readers).toMatchObject([{ principal: OTHER, type: 'AwsAccount', otherAccount: true, blockedBy: expect.stringContaining('AWS managed key aws/secretsmanager') }]);
  });

  it('a role of the account named by the resource policy reads without an identity policy; both paths are listed', () => {
    const account = new Account().role('named').role('both', { inline: { read: doc(allowRead()) } });
    const report = run(account, {
      resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: [roleArn('named'), roleArn('both'), `arn:aws:iam::${OWNER}:root`] }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }),
    });
    expect(report.readers.map((r) => [r.principal, r.via])).toEqual([
      [roleArn('both'), ['identity', 'resource']],
      [roleArn('named'), ['resource']],
    ]);
  });

  it('a Deny to everyone but one role leaves only that role', () => {
    const account = new Account().role('app', { inline: { read: doc(allowRead()) } }).role('ci', { inline: { read: doc(allowRead()) } });
    const report = run(account, { resourcePolicy: policy({ Effect: 'Deny', NotPrincipal: { AWS: roleArn('app') }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) });
    expect(principals(report)).toEqual([roleArn('app')]);
  });

  it('a public policy is one Anyone reader (not every identity of the account again), other accounts blocked by the AWS managed key as a condition', () => {
    const report = run(new Account().role('idle'), { resourcePolicy: policy({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' }) });
    expect(report.readers).toMatchObject([{ principal: '*', type: 'Anyone', blockedBy: null }]);
    expect(report.readers[0].grants[0].conditions).toEqual([expect.stringContaining(`only principals of ${OWNER}`)]);
  });

  it('an unreadable resource policy is reported among what was not considered', () => {
    const report = run(new Account(), { resourcePolicy: '{"Statement": 3}' });
    expect(report.notConsidered).toContainEqual(expect.stringContaining("the secret's resource policy could not be read"));
  });
});

function delegatingTo(account: string) {
  return { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' };
}
function customerKey(...statements: object[]): SecretKey {
  return { arn: KEY_ARN, manager: 'CUSTOMER', policy: { document: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } };
}

describe('a customer-managed key', () => {
  const account = () => new Account().role('app', { inline: { read: doc(allowRead()) } }).role('admin', { inline: { read: doc(allowRead()) } });

  it('whose policy delegates to IAM admits the readers, with the kms:Decrypt they still need', () => {
    const report = run(account(), { key: customerKey(delegatingTo(OWNER)) });
    expect(principals(report)).toEqual([roleArn('admin'), roleArn('app')]);
    expect(report.readers.every((r) => r.blockedBy === null)).toBe(true);
    expect(reader(report, roleArn('app')).grants[0].conditions).toEqual([expect.stringContaining('delegates kms:Decrypt to IAM')]);
    expect(report.secret).toMatchObject({ kmsKey: KEY_ARN, customerManagedKey: true });
  });

  it('whose policy does not delegate blocks every reader it does not name', () => {
    const report = run(account(), { key: customerKey({ Effect: 'Allow', Principal: { AWS: roleArn('admin') }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' }) });
    expect(reader(report, roleArn('admin'))).toMatchObject({ blockedBy: null, grants: [{ conditions: [] }] });
    expect(reader(report, roleArn('app')).blockedBy).toBe(`the key policy of ${KEY_ARN} does not allow it kms:Decrypt and does not delegate to the IAM policies of account ${OWNER}`);
  });

  it('that denies kms:Decrypt to a role blocks it', () => {
    const report = run(account(), { key: customerKey(delegatingTo(OWNER), { Effect: 'Deny', Principal: { AWS: roleArn('app') }, Action: 'kms:*', Resource: '*' }) });
    expect(reader(report, roleArn('app')).blockedBy).toBe(`the key policy of ${KEY_ARN} denies it kms:Decrypt (Statement 1)`);
    expect(reader(report, roleArn('admin')).blockedBy).toBeNull();
  });

  it("blocks another account's reader that it does not name, even when it delegates to the owner's IAM", () => {
    const report = run(new Account(), {
      resourcePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: roleArn('etl', OTHER) }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }),
      key: customerKey(delegatingTo(OWNER)),
    });
    expect(reader(report, roleArn('etl', OTHER)).blockedBy).toBe(`the key policy of ${KEY_ARN} does not allow it kms:Decrypt and does not delegate to the IAM policies of account ${OTHER}`);
  });

  it('whose policy cannot be read blocks nobody and says so', () => {
    const report = run(account(), { key: { arn: KEY_ARN, manager: 'CUSTOMER', policy: { error: 'AccessDeniedException: not authorized to perform kms:GetKeyPolicy' } } });
    expect(report.readers.every((r) => r.blockedBy === null)).toBe(true);
    expect(report.notConsidered).toContainEqual(expect.stringContaining('kms:GetKeyPolicy'));
  });
});

describe('trust policies', () => {
  it('lists who may assume each reading role, with conditions', () => {
    const trust = doc(
      trustAccount(OTHER, { Sid: 'Vendor', Condition: { StringEquals: { 'sts:ExternalId': 'x-123' } } }),
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com` }, Action: 'sts:AssumeRoleWithWebIdentity' },
      { Effect: 'Allow', Principal: { AWS: roleArn('ci') }, Action: 'sts:TagSession' },
    );
    const report = run(new Account().role('vendor', { inline: { read: doc(allowRead()) }, trust }));
    expect(reader(report, roleArn('vendor')).assumableBy).toEqual([
      {
        principal: `arn:aws:iam::${OTHER}:root`,
        type: 'AwsAccount',
        account: OTHER,
        actions: ['sts:AssumeRole'],
        statement: 'Statement 0 (Sid "Vendor")',
        conditions: ['StringEquals sts:ExternalId = "x-123"'],
      },
      { principal: 'lambda.amazonaws.com', type: 'AwsService', account: null, actions: ['sts:AssumeRole'], statement: 'Statement 1', conditions: [] },
      {
        principal: `arn:aws:iam::${OWNER}:oidc-provider/token.actions.githubusercontent.com`,
        type: 'Federated',
        account: OWNER,
        actions: ['sts:AssumeRoleWithWebIdentity'],
        statement: 'Statement 2',
        conditions: [],
      },
    ]);
  });
});

describe('what is not considered', () => {
  it('always names SCPs, RCPs, session policies and other accounts; and managed policies missing from the details', () => {
    const report = run(new Account().role('app', { attached: [policyArn('gone')] }));
    expect(report.notConsidered).toEqual(
      expect.arrayContaining([
        expect.stringContaining('SCPs'),
        expect.stringContaining('RCPs'),
        expect.stringContaining('session policies'),
        expect.stringContaining('identity policies of other accounts'),
        `policy ${policyArn('gone')} attached to ${roleArn('app')} is not in the authorization details`,
      ]),
    );
  });

  it('a policy that cannot be analysed grants nothing and is reported', () => {
    const report = run(new Account().role('app', { inline: { broken: '%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Maybe%22%7D%5D%7D' } }));
    expect(report.readers).toEqual([]);
    expect(report.notConsidered).toContainEqual(expect.stringMatching(/^policy broken of .*role\/app could not be analysed: /));
  });
});
