/**
 * The identity-policy entry point of the analyzer: what an identity-based policy grants on every
 * secret of an account, and on one concrete secret.
 */
import { analyzeIdentityPolicy, type IdentityPolicyAnalysis, PolicyError, type SecretScope, WorkBudget } from '../../src/policy';

const ACCOUNT: SecretScope = { kind: 'account', account: '111122223333' };
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-a1B2c3';
const SECRET: SecretScope = { kind: 'secret', arn: SECRET_ARN, tags: { Team: 'payments' } };

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const allow = (extra: object) => ({ Effect: 'Allow', ...extra });
const deny = (extra: object) => ({ Effect: 'Deny', ...extra });

function analyse(doc: unknown, scope: SecretScope = ACCOUNT): IdentityPolicyAnalysis {
  return analyzeIdentityPolicy(doc, scope);
}

function errorOf(doc: unknown, scope: SecretScope = ACCOUNT): PolicyError {
  try {
    analyse(doc, scope);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

describe('actions on every secret of the account', () => {
  it.each([
    ['* on *', { Action: '*', Resource: '*' }],
    ['secretsmanager:*', { Action: 'secretsmanager:*', Resource: '*' }],
    ['secretsmanager:Get*', { Action: 'secretsmanager:Get*', Resource: '*' }],
    ['mixed case', { Action: 'SecretsManager:getSECRETvalue', Resource: '*' }],
    ['? wildcard', { Action: 'secretsmanager:GetSecretValu?', Resource: '*' }],
    ['NotAction excluding only IAM', { NotAction: 'iam:*', Resource: '*' }],
    ['NotAction excluding other Secrets Manager actions', { NotAction: ['secretsmanager:Delete*', 'secretsmanager:Put*'], Resource: '*' }],
  ])('%s reads every secret', (_name, statement) => {
    const [grant] = analyse(policy(allow(statement))).grants;
    expect(grant.reads).toBe(true);
    expect(grant.narrowing).toEqual([]);
  });

  it('reports the administering actions and only those', () => {
    const [grant] = analyse(policy(allow({ Sid: 'Admin', Action: ['secretsmanager:DeleteSecret', 'secretsmanager:PutResourcePolicy', 'secretsmanager:DescribeSecret'], Resource: '*' }))).grants;
    expect(grant).toMatchObject({ index: 0, sid: 'Admin', reads: false, administers: ['DeleteSecret', 'PutResourcePolicy'], granted: ['DeleteSecret', 'DescribeSecret', 'PutResourcePolicy'] });
  });

  it('NotAction that excludes GetSecretValue administers without reading', () => {
    const [grant] = analyse(policy(allow({ NotAction: 'secretsmanager:GetSecretValue', Resource: '*' }))).grants;
    expect(grant.reads).toBe(false);
    expect(grant.administers).toEqual(['DeleteResourcePolicy', 'DeleteSecret', 'PutResourcePolicy', 'PutSecretValue', 'StopReplicationToReplica', 'UpdateSecret']);
    expect(grant.notAction).toBe(true);
  });

  it('BatchGetSecretValue alone reads nothing: it needs GetSecretValue on each secret', () => {
    const [grant] = analyse(policy(allow({ Action: 'secretsmanager:BatchGetSecretValue', Resource: '*' }))).grants;
    expect(grant).toMatchObject({ reads: false, administers: [], granted: ['BatchGetSecretValue'] });
  });

  it('statements without a Secrets Manager action give no grant', () => {
    expect(analyse(policy(allow({ Action: ['s3:*', 'iam:PassRole'], Resource: '*' }))).grants).toEqual([]);
  });
});

describe('resources', () => {
  it.each([
    ['*'],
    ['arn:aws:secretsmanager:*'],
    ['arn:aws:secretsmanager:*:*:*'],
    ['arn:aws:secretsmanager:*:111122223333:secret:*'],
    ['arn:aws:secretsmanager:*:*:secret:*'],
    ['arn:aws:secretsmanager:?*:111122223333:secret:?*'],
    ['arn:*:secretsmanager:*:*:secret:*'],
  ])('%s is every secret', (resource) => {
    expect(analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: resource }))).grants).toHaveLength(1);
  });

  it.each([
    ['a name prefix', 'arn:aws:secretsmanager:*:111122223333:secret:prod/*'],
    ['an exact ARN', SECRET_ARN],
    ['one region', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:*'],
    ['another account', 'arn:aws:secretsmanager:*:444455556666:secret:*'],
    ['another partition', 'arn:aws-cn:secretsmanager:*:*:secret:*'],
    ['a one-character region', 'arn:aws:secretsmanager:?:111122223333:secret:*'],
    ['another service', 'arn:aws:s3:::*'],
  ])('%s is not every secret', (_name, resource) => {
    expect(analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: resource }))).grants).toEqual([]);
  });

  it('a list counts when one of its patterns covers every secret', () => {
    expect(analyse(policy(allow({ Action: 'secretsmanager:*', Resource: ['arn:aws:s3:::b/*', 'arn:aws:secretsmanager:*:*:secret:*'] }))).grants).toHaveLength(1);
  });

  it('an unknown account is covered only by a pattern for any account', () => {
    const scope: SecretScope = { kind: 'account', account: null };
    expect(analyse(policy(allow({ Action: 'secretsmanager:*', Resource: 'arn:aws:secretsmanager:*:111122223333:secret:*' })), scope).grants).toEqual([]);
    expect(analyse(policy(allow({ Action: 'secretsmanager:*', Resource: 'arn:aws:secretsmanager:*:*:secret:*' })), scope).grants).toHaveLength(1);
  });

  it('NotResource that excludes no secret is every secret; one that excludes some is not', () => {
    expect(analyse(policy(allow({ Action: 'secretsmanager:*', NotResource: 'arn:aws:iam::*:role/*' }))).grants).toHaveLength(1);
    expect(analyse(policy(allow({ Action: 'secretsmanager:*', NotResource: 'arn:aws:secretsmanager:*:*:secret:prod/*' }))).grants).toEqual([]);
    expect(analyse(policy(allow({ Action: 'secretsmanager:*', NotResource: '*' }))).grants).toEqual([]);
  });
});

describe('conditions', () => {
  it.each([
    ['secretsmanager:ResourceTag/team', 'StringEquals'],
    ['aws:ResourceTag/team', 'StringEquals'],
    ['secretsmanager:Name', 'StringLike'],
    ['secretsmanager:SecretId', 'StringEquals'],
  ])('%s narrows which secrets', (key, operator) => {
    const [grant] = analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { [operator]: { [key]: 'payments*' } } }))).grants;
    expect(grant.narrowing).toEqual([`${operator} ${key} = "payments*"`]);
    expect(grant.otherConditions).toEqual([]);
  });

  it.each([['aws:SourceVpce'], ['aws:SourceIp'], ['aws:MultiFactorAuthPresent']])('%s does not narrow which secrets', (key) => {
    const [grant] = analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringEquals: { [key]: 'x' } } }))).grants;
    expect(grant.narrowing).toEqual([]);
    expect(grant.otherConditions).toEqual([`StringEquals ${key} = "x"`]);
  });

  it('a name pattern of "*" narrows nothing', () => {
    const [grant] = analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringLike: { 'secretsmanager:Name': '*' } } }))).grants;
    expect(grant.narrowing).toEqual([]);
  });
});

describe('Deny statements in the same document', () => {
  it('an unconditional Deny on every secret takes its actions off', () => {
    const analysis = analyse(policy(allow({ Action: 'secretsmanager:*', Resource: '*' }), deny({ Sid: 'NoRead', Action: 'secretsmanager:GetSecretValue', Resource: '*' })));
    expect(analysis.grants[0]).toMatchObject({ reads: false, deniedBy: [1] });
    expect(analysis.grants[0].administers).toContain('DeleteSecret');
    expect(analysis.creditedDenies).toEqual([1]);
  });

  it('a Deny of everything leaves no grant', () => {
    const analysis = analyse(policy(allow({ Action: '*', Resource: '*' }), deny({ NotAction: 'iam:*', Resource: '*' })));
    expect(analysis.grants).toEqual([]);
    expect(analysis.creditedDenies).toEqual([1]);
  });

  it('a Deny on some secrets is named as narrowing, not credited', () => {
    const analysis = analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*' }), deny({ Action: 'secretsmanager:*', Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*' })));
    expect(analysis.grants[0]).toMatchObject({ reads: true, deniedBy: [], narrowing: ['Deny Statement 1 on some secrets'] });
    expect(analysis.creditedDenies).toEqual([]);
  });

  it('a conditional Deny is named with its condition, not credited', () => {
    const analysis = analyse(
      policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*' }), deny({ Action: '*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })),
    );
    expect(analysis.grants[0]).toMatchObject({ reads: true, narrowing: [], otherConditions: ['Deny Statement 1 when BoolIfExists aws:MultiFactorAuthPresent = "false"'] });
  });
});

describe('a concrete secret', () => {
  it('an exact ARN or a matching prefix reaches it; another name does not', () => {
    expect(analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN })), SECRET).grants).toHaveLength(1);
    expect(analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*' })), SECRET).grants).toHaveLength(1);
    expect(analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:dev/*' })), SECRET).grants).toEqual([]);
    expect(analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', NotResource: 'arn:aws:secretsmanager:*:*:secret:prod/*' })), SECRET).grants).toEqual([]);
  });

  it('conditions on its tags and name are decided', () => {
    const on = (condition: object) => analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: condition })), SECRET).grants;
    expect(on({ StringEquals: { 'aws:ResourceTag/team': 'payments' } })[0]).toMatchObject({ reads: true, narrowing: [] });
    expect(on({ StringEquals: { 'secretsmanager:ResourceTag/team': 'ledger' } })).toEqual([]);
    expect(on({ StringEquals: { 'aws:ResourceTag/owner': 'x' } })).toEqual([]);
    expect(on({ StringEqualsIfExists: { 'aws:ResourceTag/owner': 'x' } })).toHaveLength(1);
    expect(on({ StringNotEquals: { 'aws:ResourceTag/owner': 'x' } })).toHaveLength(1);
    expect(on({ Null: { 'aws:ResourceTag/team': 'false' } })).toHaveLength(1);
    expect(on({ Null: { 'aws:ResourceTag/team': 'true' } })).toEqual([]);
    expect(on({ StringLike: { 'secretsmanager:Name': 'prod/*' } })).toHaveLength(1);
    expect(on({ StringEquals: { 'secretsmanager:SecretId': 'prod/db' } })).toHaveLength(1);
    expect(on({ StringEquals: { 'secretsmanager:SecretId': 'other' } })).toEqual([]);
    expect(on({ 'ForAnyValue:StringEquals': { 'aws:ResourceTag/team': 'payments' } })[0].narrowing).toEqual(['ForAnyValue:StringEquals aws:ResourceTag/team = "payments"']);
    // A `*` in the pattern stays a wildcard where the tag value itself holds a `*`.
    expect(
      analyse(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringLike: { 'aws:ResourceTag/path': '*b' } } })), {
        kind: 'secret',
        arn: SECRET_ARN,
        tags: { path: '*ab' },
      }).grants,
    ).toHaveLength(1);
    expect(on({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })[0].otherConditions).toEqual(['IpAddress aws:SourceIp = "10.0.0.0/8"']);
  });

  it('a Deny whose tag condition holds is credited', () => {
    const analysis = analyse(
      policy(
        allow({ Action: 'secretsmanager:*', Resource: '*' }),
        deny({ Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/Team': 'payments' } } }),
      ),
      SECRET,
    );
    expect(analysis.grants[0]).toMatchObject({ reads: false, deniedBy: [1] });
  });
});

describe('input', () => {
  it('decodes a URL-encoded document, as IAM returns it', () => {
    const encoded = encodeURIComponent(policy(allow({ Action: 'secretsmanager:GetSecretValue', Resource: '*' })));
    expect(encoded.startsWith('%7B')).toBe(true);
    expect(analyse(encoded).grants).toHaveLength(1);
  });

  it('takes the parsed object, and a single statement object', () => {
    expect(analyse({ Statement: allow({ Action: 'secretsmanager:*', Resource: '*' }) }).grants).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{', 'invalid-json'],
    ['broken URL encoding', '%7B%E0%A4%A', 'invalid-json'],
    ['no Resource', policy(allow({ Action: '*' })), 'invalid-resource'],
    ['Resource and NotResource', policy(allow({ Action: '*', Resource: '*', NotResource: '*' })), 'invalid-resource'],
    ['Resource a number', policy(allow({ Action: '*', Resource: 7 })), 'invalid-resource'],
    ['no Action', policy(allow({ Resource: '*' })), 'invalid-action'],
    ['Effect missing', policy({ Action: '*', Resource: '*' }), 'invalid-statement'],
    ['a hostile operator name', policy(allow({ Action: '*', Resource: '*', Condition: { constructor: { 'aws:ResourceTag/x': 'y' } } })), null],
  ])('%s', (_name, doc, reason) => {
    if (reason === null) {
      expect(analyse(doc, SECRET).grants[0].narrowing).toEqual(['constructor aws:ResourceTag/x = "y"']);
      return;
    }
    expect(errorOf(doc).reason).toBe(reason);
  });

  it('bounds the work on patterns built to backtrack', () => {
    const resource = `arn:aws:secretsmanager:${'*a'.repeat(2000)}`;
    expect(() => analyzeIdentityPolicy(policy(allow({ Action: '*', NotResource: resource })), ACCOUNT, new WorkBudget(10_000))).toThrow(PolicyError);
  });
});
