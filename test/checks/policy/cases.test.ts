import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyChecks } from '../../helpers/checks';
import { MAX_LISTED_STATEMENTS } from '../../../src/checks/resource-policy/details';
import { runEventChecks } from '../../../src/checks/check';
import { publishInput, MAX_MESSAGE_BYTES } from '../../../src/delivery/sns';
import { parseEvent } from '../../../src/events/parse';
import { emailText } from '../../../src/findings/email';
import { ctx, derive, FIXTURES } from '../../helpers/fixtures';

const PUT = 'PutResourcePolicy/panther-1.json';
const OWNER = '123456789012';
const VERDICT_CHECKS = ['secret-policy-public', 'secret-policy-cross-account', 'secret-policy-changed'];

function findings(event: Record<string, unknown>, overrides = {}) {
  return runEventChecks(policyChecks, parseEvent(event).record, ctx(overrides));
}

/** The Panther record (a console SSO session) with another policy in it. */
function putWith(policy: unknown, change: (r: Record<string, unknown>) => void = () => {}) {
  return derive(PUT, (r) => {
    (r.requestParameters as Record<string, unknown>).resourcePolicy = policy;
    change(r);
  });
}

const statement = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', ...extra });

describe('one finding per policy change: the most open of its statements', () => {
  const corpus = readdirSync(join(FIXTURES, 'policies'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, JSON.parse(readFileSync(join(FIXTURES, 'policies', f), 'utf8'))] as [string, { policy: unknown; context?: { owner?: string } }]);

  test.each(corpus)('%s: exactly one of public, cross-account and changed', (_file, c) => {
    const policy = typeof c.policy === 'string' ? c.policy : JSON.stringify(c.policy);
    const result = findings(putWith(policy));
    expect(result).toHaveLength(1);
    expect(VERDICT_CHECKS).toContain(result[0].check);
  });
});

describe('secret-policy-public', () => {
  test('lists only the statements that open the secret, with why their conditions do not stop anyone', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Owner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/App` }, Action: 'secretsmanager:*', Resource: '*' },
        statement({ Sid: 'Deployers', Condition: { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Deploy*' }, Bool: { 'aws:SecureTransport': 'true' } } }),
        { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:role/Reader' }, Action: 'secretsmanager:DescribeSecret', Resource: '*' },
        { Sid: 'Guard', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' },
      ],
    });
    const [f] = findings(putWith(policy));
    expect(f.check).toBe('secret-policy-public');
    expect(f.details).toEqual({
      access: 'public',
      openTo: ['anyone (Principal "*")', 'arn:aws:iam::999988887777:role/Reader (account 999988887777)'],
      accounts: ['999988887777'],
      allowsGetSecretValue: true,
      statements: [
        {
          sid: 'Deployers',
          index: 1,
          access: 'public',
          openTo: 'anyone (Principal "*")',
          actions: ['secretsmanager:GetSecretValue'],
          allowsGetSecretValue: true,
          conditions: 'no condition pins the caller: StringLike aws:PrincipalArn "arn:aws:iam::*:role/Deploy*" allows any account; aws:SecureTransport does not identify the caller',
        },
        {
          sid: 'Partner',
          index: 2,
          access: 'cross-account',
          openTo: 'arn:aws:iam::999988887777:role/Reader (account 999988887777)',
          accounts: ['999988887777'],
          actions: ['secretsmanager:DescribeSecret'],
          allowsGetSecretValue: false,
          conditions: 'no Condition: nothing restricts the caller',
        },
      ],
      policyStatements: 4,
      denyStatements: 1,
      blockPublicPolicy: true,
      notes: [
        'The policy also has 1 Deny statement(s) that SecretWatch does not credit: only a Deny on the whole secret (Resource "*") of every action an Allow grants narrows who is allowed, and only when it is to everyone ("*") unless one condition key matches (or always), or to named principals without a condition. They may narrow what is listed here.',
        'The call asked for BlockPublicPolicy and Secrets Manager accepted the policy, so its own check did not find it public; review the statements above.',
      ],
    });
    expect(f.remediation).toContain('without statement "Deployers"');
  });

  test('a public statement without GetSecretValue: no advice to rotate, and the title does not claim the value is readable', () => {
    const [f] = findings(
      putWith(JSON.stringify({ Statement: [statement({ Action: 'secretsmanager:DescribeSecret' })] }), (r) => delete (r.requestParameters as Record<string, unknown>).blockPublicPolicy),
    );
    expect(f).toMatchObject({
      check: 'secret-policy-public',
      title: 'Secret paloma/example-secret made public by its resource policy',
      details: { allowsGetSecretValue: false, blockPublicPolicy: null },
    });
    expect(f.remediation).not.toContain('rotate');
    expect(f.details.notes).toBeUndefined();
  });

  test('NotAction is shown as the actions it excludes', () => {
    const [f] = findings(putWith(JSON.stringify({ Statement: [statement({ Action: undefined, NotAction: ['secretsmanager:DeleteSecret'] })] })));
    expect((f.details.statements as Record<string, unknown>[])[0]).toMatchObject({ allActionsExcept: ['secretsmanager:DeleteSecret'], allowsGetSecretValue: true });
  });

  test('10,000 public statements: 20 listed, the rest counted, and the SNS message stays under its limit', () => {
    const statements = Array.from({ length: 10_000 }, (_, i) => statement({ Sid: `S${i}` }));
    const [f] = findings(putWith(JSON.stringify({ Statement: statements })));
    expect(f.check).toBe('secret-policy-public');
    expect(f.details.statements).toHaveLength(MAX_LISTED_STATEMENTS);
    expect(f.details.statementsNotListed).toBe(10_000 - MAX_LISTED_STATEMENTS);
    expect(f.remediation).toContain('statements "S0", "S1", "S2", "S3", "S4" and 9995 more');
    expect(Buffer.byteLength(publishInput('arn:aws:sns:us-east-1:123456789012:t', f).Message)).toBeLessThan(MAX_MESSAGE_BYTES);
  });
});

describe('secret-policy-cross-account', () => {
  test('names the accounts, and trustedAccounts silences them', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::999988887777:root', '444455556666'] }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] });
    const [f] = findings(putWith(policy));
    expect(f).toMatchObject({
      check: 'secret-policy-cross-account',
      severity: 'HIGH',
      title: 'Secret paloma/example-secret shared with accounts 999988887777 and 444455556666 by its resource policy',
      details: { access: 'cross-account', accounts: ['999988887777', '444455556666'] },
    });
    expect(findings(putWith(policy), { trustedAccounts: ['444455556666'] })[0]).toMatchObject({
      title: expect.stringContaining('shared with account 999988887777 by'),
      details: { accounts: ['999988887777'] },
    });
    expect(findings(putWith(policy), { trustedAccounts: ['444455556666', '999988887777'] })[0]).toMatchObject({ check: 'secret-policy-changed' });
  });

  test('an unpinned service principal is shared with any account through it', () => {
    const [f] = findings(putWith(JSON.stringify({ Statement: [statement({ Principal: { Service: 'lambda.amazonaws.com' } })] })));
    expect(f).toMatchObject({ check: 'secret-policy-cross-account', title: 'Secret paloma/example-secret shared with any account, through a service principal by its resource policy' });
  });
});

describe('Deny guardrails (the data-perimeter pattern)', () => {
  const perimeter = (condition: Record<string, unknown>) => ({ Sid: 'Perimeter', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*', Condition: condition });

  test('Allow "*" behind a Deny of everyone outside the trusted organization is no public alarm: LOW, the Deny named', () => {
    const [f] = findings(putWith(JSON.stringify({ Statement: [statement({ Sid: 'Read' }), perimeter({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })] })), {
      trustedOrgId: 'o-a1b2c3d4e5',
    });
    expect(f).toMatchObject({
      check: 'secret-policy-changed',
      severity: 'LOW',
      details: {
        access: 'private',
        openTo: ['anyone (Principal "*"), within the trusted organization o-a1b2c3d4e5'],
        denyStatements: 1,
        denyStatementsCredited: [1],
        statements: [
          expect.objectContaining({ sid: 'Read', conditions: 'the Deny of Statement 1 (Sid "Perimeter") (StringNotEquals aws:PrincipalOrgID) pins the caller to organization "o-a1b2c3d4e5"' }),
        ],
      },
    });
    expect(f.details.notes).toBeUndefined();
  });

  test('the same perimeter around another organization: shared with it, not public', () => {
    const [f] = findings(putWith(JSON.stringify({ Statement: [statement(), perimeter({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } })] })));
    expect(f).toMatchObject({ check: 'secret-policy-cross-account', details: { access: 'cross-account', organizations: ['o-zzzzzzzzzz'], denyStatementsCredited: [1] } });
  });

  test('a Deny that is not a perimeter (two keys) changes nothing, and the note says which Denies count', () => {
    const [f] = findings(putWith(JSON.stringify({ Statement: [statement(), perimeter({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:SourceVpc': 'vpc-1' } })] })));
    expect(f.check).toBe('secret-policy-public');
    expect(f.details.denyStatementsCredited).toBeUndefined();
    expect(f.details.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^The policy also has 1 Deny statement\(s\) that SecretWatch does not credit: only a Deny on the whole secret/)]));
  });
});

describe('secret-policy-changed', () => {
  test('a policy that stays in the owner account', () => {
    const [f] = findings(
      putWith(JSON.stringify({ Statement: [{ Sid: 'App', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:role/App` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] })),
    );
    expect(f).toMatchObject({
      check: 'secret-policy-changed',
      severity: 'LOW',
      title: 'Resource policy of secret paloma/example-secret changed; access stays within account 123456789012',
      details: { access: 'private', openTo: [`arn:aws:iam::${OWNER}:role/App (the owner's account ${OWNER})`], allowsGetSecretValue: true, policyStatements: 1, denyStatements: 0 },
    });
    expect(f.remediation).toContain(`aws secretsmanager get-resource-policy --secret-id arn:aws:secretsmanager:us-west-2:${OWNER}:secret:paloma/example-secret-xxxxxx --region us-west-2`);
  });

  test.each([
    ['invalid JSON', '{"Statement": [', 'invalid-json: not valid JSON'],
    ['no policy in the record', undefined, 'missing: the event carries no resource policy'],
    ['a list', '[]', 'not-an-object: expected a JSON object, got a list'],
    [
      'a non-string principal',
      JSON.stringify({ Statement: [statement({ Principal: { AWS: 7 } })] }),
      'invalid-principal: Statement 0: Principal: "AWS": expected a string or a list of strings, got a number',
    ],
    [
      'deeply nested conditions',
      `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":{"StringEquals":{"aws:SourceIp":${'['.repeat(50_000)}${']'.repeat(50_000)}}}}]}`,
      'invalid-condition',
    ],
  ])('a policy that does not parse (%s): changed, MEDIUM, saying it could not be analysed, with details.parseError', (_what, policy, parseError) => {
    const event = putWith(policy, (r) => {
      if (policy === undefined) delete (r.requestParameters as Record<string, unknown>).resourcePolicy;
    });
    const [f] = findings(event);
    expect(f).toMatchObject({
      check: 'secret-policy-changed',
      severity: 'MEDIUM',
      title: 'Resource policy of secret paloma/example-secret changed and could not be analysed: it may open the secret to anyone',
    });
    expect(f.details.analysed).toBe(false);
    expect(f.details.parseError).toEqual(expect.stringContaining(parseError));
    expect(f.details.blockPublicPolicy).toBe(true);
    expect(f.remediation).toContain('get-resource-policy');
  });

  test('a policy logged as an object (as some exporters write it) is judged like the string', () => {
    const asObject = findings(putWith({ Statement: [statement()] }));
    expect(asObject.map((f) => f.check)).toEqual(['secret-policy-public']);
  });
});

describe('secret-policy-deleted and secret-policy-change-denied', () => {
  const deleted = (change: (r: Record<string, unknown>) => void = () => {}) =>
    derive(PUT, (r) => {
      r.eventName = 'DeleteResourcePolicy';
      r.requestParameters = { secretId: 'paloma/example-secret' };
      change(r);
    });

  test('DeleteResourcePolicy: LOW, with the command to put a policy back', () => {
    const [f, ...rest] = findings(deleted());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      check: 'secret-policy-deleted',
      severity: 'LOW',
      title: 'Resource policy of secret paloma/example-secret deleted',
      event: { name: 'DeleteResourcePolicy' },
      details: {},
    });
    expect(f.remediation).toContain('aws secretsmanager put-resource-policy --secret-id');
  });

  test.each([
    ['PutResourcePolicy', 'change'],
    ['DeleteResourcePolicy', 'delete'],
  ])('%s with an errorCode: MEDIUM, and no verdict on a policy that was never applied', (eventName, verb) => {
    const event = derive(PUT, (r) => {
      r.eventName = eventName;
      r.errorCode = 'AccessDenied';
      r.errorMessage = 'User: arn:aws:sts::123456789012:assumed-role/Dev/eve is not authorized to perform: secretsmanager:PutResourcePolicy';
      r.responseElements = null;
    });
    const result = findings(event);
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({
      check: 'secret-policy-change-denied',
      severity: 'MEDIUM',
      title: `Attempt to ${verb} the resource policy of secret paloma/example-secret failed: AccessDenied`,
      details: { errorCode: 'AccessDenied', errorMessage: expect.stringContaining('not authorized') },
      remediation: expect.stringContaining('AttributeKey=Username,AttributeValue=example.user'),
    });
  });
});

describe('hostile names stay quoted in the commands', () => {
  test('a secret named with shell metacharacters', () => {
    const event = putWith(JSON.stringify({ Statement: [statement()] }), (r) => {
      (r.requestParameters as Record<string, unknown>).secretId = "x'; rm -rf / #";
      r.responseElements = { name: "x'; rm -rf / #" };
    });
    const [f] = findings(event);
    expect(f.remediation).toContain(`--secret-id 'x'\\''; rm -rf / #' --region us-west-2`);
    expect(emailText(f)).toContain("Secret     x'; rm -rf / #");
  });
});

describe('the alert reads without the console', () => {
  test('the email names the secret, who changed the policy from where, what it now allows to whom, and the command to revert it', () => {
    const policy = JSON.stringify({ Statement: [statement({ Sid: 'PublicRead' })] });
    const [f] = findings(putWith(policy));
    const text = emailText(f);
    expect(text).toContain('Secret     paloma/example-secret');
    expect(text).toContain('Who        arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ExampleRole_xxxxxxxxxxxxxxxx/example.user from 10.0.0.1');
    expect(text).toMatch(/sid: PublicRead; index: 0; access: public; openTo: anyone \(Principal "\*"\); actions: secretsmanager:GetSecretValue; allowsGetSecretValue: true; conditions: no Condition/);
    expect(text).toContain('aws secretsmanager delete-resource-policy --secret-id arn:aws:secretsmanager:us-west-2:123456789012:secret:paloma/example-secret-xxxxxx --region us-west-2');
  });
});

describe('verdict fixes say why in the finding', () => {
  const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

  test('aws:SourceOwner of the owner pins the caller: a changed policy, not a public one', () => {
    const [f] = findings(putWith(policy(statement({ Principal: { Service: 'sns.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceOwner': OWNER } } }))));
    expect(f).toMatchObject({ check: 'secret-policy-changed', severity: 'LOW' });
    expect((f.details.statements as { conditions: string }[])[0].conditions).toBe(`StringEquals aws:SourceOwner pins the caller to "${OWNER}"`);
  });

  test('an IPv6 range wider than /32 restricts nobody: public, and the range is named', () => {
    const [f] = findings(putWith(policy(statement({ Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/31' } } }))));
    expect(f).toMatchObject({ check: 'secret-policy-public', severity: 'CRITICAL' });
    expect((f.details.statements as { conditions: string }[])[0].conditions).toContain('"2001:db8::/31" is too wide a range to restrict anyone');
  });

  test('a literal * under StringEquals matches nobody: no cross-account finding to organization "*"', () => {
    const [f] = findings(putWith(policy(statement({ Condition: { StringEquals: { 'aws:PrincipalOrgID': '*' } } }))));
    expect(f).toMatchObject({ check: 'secret-policy-changed', severity: 'LOW' });
    expect(f.details).not.toHaveProperty('organizations');
    expect((f.details.statements as { openTo: string; conditions: string }[])[0]).toMatchObject({
      openTo: expect.stringMatching(/^nobody: /),
      conditions: expect.stringContaining('* and ? are literal characters that no caller'),
    });
  });

  test('a Deny naming exactly the allowed principal is credited, and the finding says which and why', () => {
    const role = 'arn:aws:iam::999988887777:role/Reader';
    const [f] = findings(putWith(policy(statement({ Principal: { AWS: role } }), { Sid: 'NotThem', Effect: 'Deny', Principal: { AWS: role }, Action: 'secretsmanager:*', Resource: '*' })));
    expect(f).toMatchObject({ check: 'secret-policy-changed', details: { access: 'private', denyStatementsCredited: [1] } });
    expect((f.details.statements as { openTo: string }[])[0].openTo).toBe(`nobody: Statement 1 (Sid "NotThem") denies every action it grants to "${role}"`);
  });
});
