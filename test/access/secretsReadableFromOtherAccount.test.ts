/**
 * secrets-readable-from-other-account over authorization-details fixtures: one finding per role
 * that an untrusted account may assume and that reads secrets of the inventory.
 */
import { rolesReadableFromOtherAccounts } from '../../src/checks/inventory/secrets-readable-from-other-account';
import { secret as inventorySecret } from '../helpers/inventory';
import { Account, allowRead, denyRead, doc, OTHER, OWNER, policyArn, roleArn, trustAccount, trustService } from './accountFixture';

const TRUSTED = '777788889999';

const secret = (name: string, tags: Record<string, string> = {}) => inventorySecret({ name, tags });
const SECRETS = [secret('prod/db', { team: 'payments' }), secret('prod/api'), secret('dev/app')];

function judge(account: Account, secrets = SECRETS) {
  return rolesReadableFromOtherAccounts({ account: OWNER, region: 'eu-west-1', authorizationDetails: account.pages(), secrets, trustedAccounts: [TRUSTED] });
}

describe('secrets-readable-from-other-account', () => {
  it('reports exactly the role an untrusted account may assume and that reads, with every secret it reads', () => {
    const account = new Account()
      .role('vendor', { trust: doc(trustAccount(OTHER, { Condition: { StringEquals: { 'sts:ExternalId': 'v-1' } } })), inline: { read: doc(allowRead()) } })
      .role('partner', { trust: doc(trustAccount(TRUSTED)), inline: { read: doc(allowRead()) } })
      .role('own', { trust: doc(trustAccount(OWNER)), inline: { read: doc(allowRead()) } })
      .role('lambda', { trust: doc(trustService('lambda.amazonaws.com')), inline: { read: doc(allowRead()) } })
      .role('auditor', { trust: doc(trustAccount(OTHER)), inline: { list: doc({ Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' }) } });
    const findings = judge(account);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'secrets-readable-from-other-account',
      severity: 'HIGH',
      title: `Role vendor may be assumed from ${OTHER} and reads all 3 secret(s) in eu-west-1`,
      resource: { type: 'AwsIamRole', arn: roleArn('vendor'), name: 'vendor' },
      account: OWNER,
      event: null,
      details: {
        accounts: [OTHER],
        assumableBy: [{ principal: `arn:aws:iam::${OTHER}:root`, type: 'AwsAccount', conditions: ['StringEquals sts:ExternalId = "v-1"'] }],
        secrets: { count: 3, all: true, names: ['prod/db', 'prod/api', 'dev/app'] },
      },
    });
  });

  it('names the secrets a role reads when not all: its Deny, boundary and tag conditions applied', () => {
    const boundary = policyArn('boundary');
    const account = new Account()
      .policy(boundary, doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }))
      .role('tagged', { trust: doc(trustAccount(OTHER)), inline: { read: doc(allowRead({ Condition: { StringEquals: { 'aws:ResourceTag/team': 'payments' } } })) } })
      .role('no-prod', { trust: doc(trustAccount(OTHER)), inline: { read: doc(allowRead(), denyRead({ Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*' })) } })
      .role('bounded', { trust: doc(trustAccount(OTHER)), inline: { read: doc(allowRead()) }, boundary });
    const findings = judge(account);
    expect(findings.map((f) => [f.resource.name, f.details.secrets])).toEqual([
      ['tagged', { count: 1, all: false, names: ['prod/db'] }],
      ['no-prod', { count: 1, all: false, names: ['dev/app'] }],
    ]);
  });

  it('anyone, and a public identity provider, count as outside', () => {
    const account = new Account()
      .role('open', { trust: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }), inline: { read: doc(allowRead()) } })
      .role('google', { trust: doc({ Effect: 'Allow', Principal: { Federated: 'accounts.google.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }), inline: { read: doc(allowRead()) } });
    expect(judge(account).map((f) => [f.resource.name, f.details.accounts])).toEqual([
      ['open', ['*']],
      ['google', ['accounts.google.com']],
    ]);
  });

  it('shows at most ten secret names and counts them all', () => {
    const many = Array.from({ length: 25 }, (_, i) => secret(`app/${i}`));
    const account = new Account().role('vendor', { trust: doc(trustAccount(OTHER)), inline: { read: doc(allowRead({ Resource: `arn:aws:secretsmanager:*:${OWNER}:secret:app/1*` })) } });
    const [finding] = judge(account, many);
    expect(finding.details.secrets).toEqual({ count: 11, all: false, names: ['app/1', ...Array.from({ length: 9 }, (_, i) => `app/1${i}`)] });
  });

  it('an unreadable trust policy gives no finding rather than a guess', () => {
    const account = new Account().role('broken', { trust: '%7B', inline: { read: doc(allowRead()) } });
    expect(judge(account)).toEqual([]);
  });
});
