import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListSecretsCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { Account, allowRead, doc, OWNER, trustAccount } from '../access/accountFixture';
import { DEFAULT_CONFIG, configFromEnv } from '../../src/config/config';
import { accountSummaries, memberAccountsOf, mergeScans, scanMemberAccounts, scanMembers } from '../../src/runtime/centralScan';
import { memberScanRoleArn, partitionOf, memberScanRoleName } from '../../src/runtime/scanRoleName';
import { listOrganizationAccounts } from '../../src/runtime/organizationAccounts';
import { runScan } from '../../src/runtime/scan';
import * as inventoryClient from '../../src/inventory/client';
import { createInventoryClient } from '../../src/inventory/client';
import { createInventoryScanHandler } from '../../src/runtime/scanLambdaHandler';
import { fanOutFromEnv } from '../../src/runtime/fanOut/fromEnv';
import { createScanWorkerHandler } from '../../src/runtime/scanWorkerHandler';

const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
const sm = mockClient(SecretsManagerClient);
const iam = mockClient(IAMClient);
const DAY = 86_400_000;
const NOW = new Date('2024-06-04T06:00:00Z');
const ROLE = memberScanRoleName('prod', 'eu-west-1');
const ENV = { ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts', LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' };

/** Each account holds `n` secrets without rotation, created 10 days before NOW. */
const SECRETS: Record<string, number> = { '111111111111': 1, '222222222222': 2, '333333333333': 3, '444444444444': 4, '555555555555': 5 };

let inFlight = 0;
let maxInFlight = 0;

beforeEach(() => {
  sts.reset();
  sm.reset();
  organizations.reset();
  inFlight = 0;
  maxInFlight = 0;
  // The credentials name the account: the key id is AKID<account>.
  sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
    const account = input.RoleArn.split(':')[4];
    if (account === '999999999999') throw Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
    return { Credentials: { AccessKeyId: `AKID${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(NOW.getTime() + 3600_000) } };
  });
  sm.on(ListSecretsCommand).callsFake(async (_input: unknown, getClient: () => SecretsManagerClient) => {
    const credentials = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
    const account = credentials.accessKeyId.slice(4);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 10));
    inFlight--;
    if (account === '888888888888') throw Object.assign(new Error('denied by an SCP'), { name: 'AccessDeniedException' });
    const n = SECRETS[account] ?? 0;
    return {
      SecretList: Array.from({ length: n }, (_, i) => ({
        ARN: `arn:aws:secretsmanager:eu-west-1:${account}:secret:s${i}-AbCdEf`,
        Name: `s${i}`,
        CreatedDate: new Date(NOW.getTime() - 10 * DAY),
        LastAccessedDate: new Date(NOW.getTime() - DAY),
      })),
    };
  });
  sm.on(ListSecretVersionIdsCommand).resolves({ Versions: [] });
  iam.reset();
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ IsTruncated: false });
});

const options = { config: DEFAULT_CONFIG, now: NOW };
const deps = () => ({ sts: new STSClient({ region: 'eu-west-1' }), roleName: ROLE, region: 'eu-west-1', clientOptions: { rateLimits: { ListSecrets: 1e6, ListSecretVersionIds: 1e6 } } });

test("the role is the member stacks' name, in each account, in the region's partition", () => {
  expect(ROLE).toBe('secretwatch-prod-scan-eu-west-1');
  expect(memberScanRoleArn('222222222222', ROLE)).toBe('arn:aws:iam::222222222222:role/secretwatch-prod-scan-eu-west-1');
  expect([partitionOf('eu-west-1'), partitionOf('cn-north-1'), partitionOf('us-gov-west-1'), partitionOf(null)]).toEqual(['aws', 'aws-cn', 'aws-us-gov', 'aws']);
});

test('in China the role ARN is in aws-cn: the scan derives it from its region', async () => {
  await scanMemberAccounts(['111111111111'], options, { ...deps(), region: 'cn-north-1' });
  expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([`arn:aws-cn:iam::111111111111:role/${ROLE}`]);
});

test('each account is scanned with its own credentials, in order of the list, at most three at a time', async () => {
  const accounts = Object.keys(SECRETS);
  const scans = await scanMemberAccounts(accounts, options, deps());
  expect(
    sts
      .commandCalls(AssumeRoleCommand)
      .map((c) => c.args[0].input.RoleArn)
      .sort(),
  ).toEqual(accounts.map((a) => memberScanRoleArn(a, ROLE)));
  expect(scans.map((s) => [s.account, s.status, s.status === 'scanned' ? s.result.evaluation.counts.secrets : null])).toEqual(accounts.map((a) => [a, 'scanned', SECRETS[a]]));
  for (const s of scans) if (s.status === 'scanned') expect(s.result.evaluation.findings.every((f) => f.account === s.account)).toBe(true);
  expect(maxInFlight).toBeGreaterThan(1);
  expect(maxInFlight).toBeLessThanOrEqual(3);
});

test('AssumeRole refused or ListSecrets failing: one HIGH finding for that account, the others scanned', async () => {
  const scans = await scanMemberAccounts(['111111111111', '999999999999', '888888888888', '222222222222'], options, deps());
  expect(scans.map((s) => [s.account, s.status, s.status === 'unreachable' ? s.step : null])).toEqual([
    ['111111111111', 'scanned', null],
    ['999999999999', 'unreachable', 'AssumeRole'],
    ['888888888888', 'unreachable', 'ListSecrets'],
    ['222222222222', 'scanned', null],
  ]);
  const denied = scans[1];
  expect(denied.status === 'unreachable' && denied.finding).toMatchObject({
    check: 'scan-account-unreachable',
    severity: 'HIGH',
    account: '999999999999',
    region: 'eu-west-1',
    resource: { type: 'AwsAccount', arn: null, name: '999999999999', id: '999999999999' },
    event: null,
    details: { step: 'AssumeRole', roleArn: memberScanRoleArn('999999999999', ROLE), error: 'AccessDenied: not authorized to perform: sts:AssumeRole', nonCompliantSince: NOW.toISOString() },
  });
  expect(denied.status === 'unreachable' && 'secret' in denied.finding).toBe(false);
  expect(scans[2].status === 'unreachable' && scans[2].error).toBe('AccessDeniedException: denied by an SCP');
});

test('mergeScans: findings and counts summed over the accounts, the unreachable ones counted by their check', async () => {
  const own = createInventoryClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID123456789012', secretAccessKey: 's' }, rateLimits: { ListSecrets: 1e6, ListSecretVersionIds: 1e6 } });
  const ownResult = await runScan(own, options);
  const members = await scanMemberAccounts(['111111111111', '999999999999', '333333333333'], options, deps());
  const { evaluation } = mergeScans(ownResult, members);
  expect(evaluation.counts.secrets).toBe(0 + 1 + 3);
  expect(evaluation.counts.byCheck['rotation-not-enabled']).toBe(4);
  expect(evaluation.counts.byCheck['scan-account-unreachable']).toBe(1);
  expect(evaluation.findings).toHaveLength(5);
  own.client.destroy();
});

/** What the central stack sets for the fanned-out scan (serverless/organization.js). */
const FAN_OUT = {
  SCAN_RUNS_TABLE: 'secretwatch-dev-scan-runs',
  SCAN_ASSEMBLY_FUNCTION: 'secretwatch-dev-inventoryScan',
  SCAN_UNIT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/secretwatch-dev-scan-units',
};

test('scanAccounts: comma-separated 12-digit ids; the handler requires the role name with them', () => {
  expect(configFromEnv({ SCAN_ACCOUNTS: ' 111111111111, 222222222222 ' }).scanAccounts).toEqual(['111111111111', '222222222222']);
  expect(configFromEnv({}).scanAccounts).toEqual([]);
  expect(() => configFromEnv({ SCAN_ACCOUNTS: '111111111111,12345' })).toThrow('invalid setting SCAN_ACCOUNTS: must be a 12-digit AWS account id');
  expect(() => createInventoryScanHandler({ ...ENV, SCAN_ACCOUNTS: '111111111111' })).toThrow('invalid setting SCAN_ROLE_NAME');
  expect(() => createInventoryScanHandler({ ...ENV, SCAN_ACCOUNTS: '111111111111', SCAN_ROLE_NAME: ROLE, ...FAN_OUT }, fanOutFromEnv)).not.toThrow();
});

test('the central scan fans out: the handler requires the run table, the assembling function and the queue the stack sets', () => {
  const env = { ...ENV, SCAN_ACCOUNTS: '111111111111', SCAN_ROLE_NAME: ROLE, ...FAN_OUT };
  expect(() => createInventoryScanHandler({ ...env, SCAN_RUNS_TABLE: '' }, fanOutFromEnv)).toThrow('invalid setting SCAN_RUNS_TABLE: required in mode central');
  expect(() => createInventoryScanHandler({ ...env, SCAN_ASSEMBLY_FUNCTION: ' ' }, fanOutFromEnv)).toThrow('invalid setting SCAN_ASSEMBLY_FUNCTION');
  expect(() => createInventoryScanHandler({ ...env, SCAN_UNIT_QUEUE_URL: '' }, fanOutFromEnv)).toThrow('invalid setting SCAN_UNIT_QUEUE_URL');
  expect(() => createScanWorkerHandler({ ...env, SCAN_RUNS_TABLE: '' })).toThrow('invalid setting SCAN_RUNS_TABLE');
  expect(() => createScanWorkerHandler({ ...env, SCAN_ACCOUNTS: '' })).toThrow('invalid setting SCAN_ACCOUNTS');
  expect(() => createScanWorkerHandler(env)).not.toThrow();
});

test('scanOrganization: the handler needs the role name with it too', () => {
  expect(() => createInventoryScanHandler({ ...ENV, SCAN_ORGANIZATION: 'true' })).toThrow('invalid setting SCAN_ROLE_NAME: required with SCAN_ACCOUNTS or SCAN_ORGANIZATION');
  expect(() => createInventoryScanHandler({ ...ENV, SCAN_ORGANIZATION: 'true', SCAN_ROLE_NAME: ROLE, ...FAN_OUT }, fanOutFromEnv)).not.toThrow();
  expect(memberAccountsOf(configFromEnv({ SCAN_ORGANIZATION: 'true' }))).toEqual({ organization: true });
  expect(memberAccountsOf(configFromEnv({ SCAN_ACCOUNTS: '111111111111' }))).toEqual({ accounts: ['111111111111'] });
  expect(memberAccountsOf(configFromEnv({}))).toBeNull();
});

describe("the organization's accounts (scanOrganization)", () => {
  const CENTRAL = '123456789012';
  /** Two pages, as ListAccounts gives 20 at most: the central account, active members, and some that are not active. */
  function organizationOf(pages: { Id?: string; State?: string; Status?: string }[][]): void {
    organizations.on(ListAccountsCommand).callsFake(async (input: { NextToken?: string }) => {
      const index = input.NextToken ? Number(input.NextToken) : 0;
      return { Accounts: pages[index], ...(index + 1 < pages.length ? { NextToken: String(index + 1) } : {}) };
    });
    sts.on(GetCallerIdentityCommand).resolves({ Account: CENTRAL, Arn: `arn:aws:sts::${CENTRAL}:assumed-role/scan/fn` });
  }
  const orgDeps = () => ({ ...deps(), organizations: new OrganizationsClient({ region: 'eu-west-1' }) });

  test('every ACTIVE account but the central one, over every page; State read first, Status when it is alone', async () => {
    organizationOf([
      [
        { Id: CENTRAL, State: 'ACTIVE' },
        { Id: '111111111111', State: 'ACTIVE', Status: 'ACTIVE' },
        { Id: '222222222222', State: 'SUSPENDED', Status: 'SUSPENDED' },
      ],
      [{ Id: '333333333333', Status: 'ACTIVE' }, { Id: '444444444444', State: 'PENDING_CLOSURE', Status: 'ACTIVE' }, { Id: '555555555555', State: 'ACTIVE' }, { Id: 'not-an-account' }],
    ]);
    const listed = await listOrganizationAccounts(new OrganizationsClient({ region: 'eu-west-1' }), CENTRAL);
    expect(listed).toEqual({
      active: ['111111111111', '333333333333', '555555555555'],
      inactive: [
        { account: '222222222222', state: 'SUSPENDED' },
        { account: '444444444444', state: 'PENDING_CLOSURE' },
      ],
    });
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(2);

    const scans = await scanMembers({ organization: true }, options, orgDeps());
    expect(scans.map((s) => [s.account, s.status])).toEqual([
      ['111111111111', 'scanned'],
      ['333333333333', 'scanned'],
      ['555555555555', 'scanned'],
    ]);
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => c.args[0].input.RoleArn)
        .sort(),
    ).toEqual(['111111111111', '333333333333', '555555555555'].map((a) => memberScanRoleArn(a, ROLE)));
  });

  test("a member's role trusted by another account of the organization is not reported; one trusted from outside it is", async () => {
    organizationOf([
      [
        { Id: CENTRAL, State: 'ACTIVE' },
        { Id: '111111111111', State: 'ACTIVE' },
        { Id: '333333333333', State: 'ACTIVE' },
      ],
    ]);
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake(async (_input: unknown, getClient: () => IAMClient) => {
      const credentials = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
      if (credentials.accessKeyId.slice(4) !== '111111111111') return { IsTruncated: false };
      const account = new Account()
        .role('sibling', { trust: doc(trustAccount('333333333333')), inline: { read: doc(allowRead()) } })
        .role('central', { trust: doc(trustAccount(CENTRAL)), inline: { read: doc(allowRead()) } })
        .role('outside', { trust: doc(trustAccount('999988887777')), inline: { read: doc(allowRead()) } });
      return { RoleDetailList: account.roles.map((r) => ({ ...r, Arn: r.Arn?.replace(OWNER, '111111111111') })) as never, IsTruncated: false };
    });
    const scans = await scanMembers({ organization: true }, options, orgDeps());
    const findings = scans.flatMap((s) => (s.status === 'scanned' ? s.result.evaluation.findings : [])).filter((f) => f.check === 'secrets-readable-from-other-account');
    expect(findings.map((f) => [f.account, f.resource.name, f.details.accounts])).toEqual([['111111111111', 'outside', ['999988887777']]]);
  });

  test('ListAccounts refused (not the management account nor a delegated administrator): one HIGH finding for the central account, no member scanned', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: CENTRAL });
    organizations.on(ListAccountsCommand).rejects(Object.assign(new Error("You don't have permissions to access this resource."), { name: 'AccessDeniedException' }));
    const scans = await scanMembers({ organization: true }, options, orgDeps());
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(scans).toEqual([
      {
        account: CENTRAL,
        region: 'eu-west-1',
        status: 'unreachable',
        step: 'ListAccounts',
        error: "AccessDeniedException: You don't have permissions to access this resource.",
        finding: expect.objectContaining({
          check: 'scan-account-unreachable',
          severity: 'HIGH',
          title: "The organization's accounts could not be listed: no member account was scanned",
          account: CENTRAL,
          region: 'eu-west-1',
          details: { step: 'ListAccounts', roleArn: null, error: "AccessDeniedException: You don't have permissions to access this resource.", nonCompliantSince: NOW.toISOString() },
          remediation: expect.stringContaining('delegated administrator for AWS Organizations'),
        }),
      },
    ]);
  });

  test('the central account unknown as well (GetCallerIdentity failing): the finding has no account, nothing is scanned', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' }));
    const scans = await scanMembers({ organization: true }, options, orgDeps());
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(0);
    expect(scans).toMatchObject([
      { account: null, status: 'unreachable', step: 'ListAccounts', error: 'ExpiredToken: The security token included in the request is expired', finding: { account: null } },
    ]);
  });

  test('an organization of one account (the central one): nothing else to scan, no finding', async () => {
    organizationOf([[{ Id: CENTRAL, State: 'ACTIVE' }]]);
    expect(await scanMembers({ organization: true }, options, orgDeps())).toEqual([]);
  });
});

describe('scanRegions: every member account in each region, the central account in its other regions', () => {
  const CENTRAL = '123456789012';
  const PATTERN = 'secretwatch-prod-scan-{region}';

  test("each (account, region) assumes that region's role and lists that region; the central account is skipped in its own region only", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: CENTRAL });
    const where: string[] = [];
    sm.on(ListSecretsCommand).callsFake(async (_input: unknown, getClient: () => SecretsManagerClient) => {
      const config = getClient().config;
      const credentials = await (config.credentials as () => Promise<{ accessKeyId: string }>)();
      where.push(`${credentials.accessKeyId.slice(4)} ${await config.region()}`);
      return { SecretList: [] };
    });
    const scans = await scanMembers({ accounts: ['111111111111', '222222222222'] }, options, { ...deps(), roleName: PATTERN, regions: ['eu-west-1', 'us-east-1'] });
    const pairs = ['111111111111 eu-west-1', '111111111111 us-east-1', '222222222222 eu-west-1', '222222222222 us-east-1', `${CENTRAL} us-east-1`];
    expect(scans.map((s) => `${s.account} ${s.region}`)).toEqual(pairs);
    expect(where.sort()).toEqual([...pairs].sort());
    expect(
      sts
        .commandCalls(AssumeRoleCommand)
        .map((c) => c.args[0].input.RoleArn)
        .sort(),
    ).toEqual(
      pairs
        .map((p) => p.split(' '))
        .map(([account, region]) => `arn:aws:iam::${account}:role/secretwatch-prod-scan-${region}`)
        .sort(),
    );
  });

  test("each member's IAM is read once, with its first region's scan, with its own credentials; the central account's is not read here", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: CENTRAL });
    const read: string[] = [];
    iam.on(GetAccountAuthorizationDetailsCommand).callsFake(async (_input: unknown, getClient: () => IAMClient) => {
      const credentials = await (getClient().config.credentials as () => Promise<{ accessKeyId: string }>)();
      const account = credentials.accessKeyId.slice(4);
      read.push(account);
      if (account === '222222222222') throw Object.assign(new Error('not authorized to perform: iam:GetAccountAuthorizationDetails'), { name: 'AccessDenied' });
      return { IsTruncated: false };
    });
    const scans = await scanMembers({ accounts: ['111111111111', '222222222222'] }, options, { ...deps(), roleName: PATTERN, regions: ['eu-west-1', 'us-east-1'] });
    expect(read.sort()).toEqual(['111111111111', '222222222222']);
    expect(accountSummaries(scans).filter((a) => a.authorizationDetailsError)).toEqual([
      expect.objectContaining({ account: '222222222222', region: 'eu-west-1', authorizationDetailsError: 'AccessDenied: not authorized to perform: iam:GetAccountAuthorizationDetails' }),
    ]);
  });

  test('an unreachable region is its own finding, named with the region; the same account elsewhere is scanned', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: CENTRAL });
    sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
      if (input.RoleArn.endsWith('-us-east-1')) throw Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
      const account = input.RoleArn.split(':')[4];
      return { Credentials: { AccessKeyId: `AKID${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(NOW.getTime() + 3600_000) } };
    });
    const scans = await scanMembers({ accounts: ['222222222222'] }, options, { ...deps(), roleName: PATTERN, regions: ['eu-west-1', 'us-east-1'] });
    expect(scans.map((s) => [s.account, s.region, s.status])).toEqual([
      ['222222222222', 'eu-west-1', 'scanned'],
      ['222222222222', 'us-east-1', 'unreachable'],
      [CENTRAL, 'us-east-1', 'unreachable'],
    ]);
    const finding = scans[1].status === 'unreachable' ? scans[1].finding : null;
    expect(finding).toMatchObject({
      title: 'Account 222222222222 could not be scanned in us-east-1: AssumeRole failed',
      region: 'us-east-1',
      details: { roleArn: 'arn:aws:iam::222222222222:role/secretwatch-prod-scan-us-east-1' },
    });
  });

  test("without its own identity (GetCallerIdentity failing) the central account's other regions are one finding each, the members still scanned", async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('expired'), { name: 'ExpiredToken' }));
    const scans = await scanMembers({ accounts: ['222222222222'] }, options, { ...deps(), roleName: PATTERN, regions: ['eu-west-1', 'us-east-1'] });
    expect(scans.map((s) => `${s.account} ${s.region} ${s.status}`)).toEqual(['222222222222 eu-west-1 scanned', '222222222222 us-east-1 scanned', 'null us-east-1 unreachable']);
    expect(scans[2].status === 'unreachable' && scans[2].finding).toMatchObject({
      check: 'scan-account-unreachable',
      severity: 'HIGH',
      title: 'The central account could not be scanned in us-east-1: AssumeRole failed',
      account: null,
      details: { step: 'AssumeRole', roleArn: null, error: "GetCallerIdentity failed, so the central account's own role is unknown: ExpiredToken: expired" },
      remediation: expect.stringContaining('aws sts get-caller-identity'),
    });
  });

  test("settings: SCAN_REGIONS is a list of region names; alone it scans the central account's other regions", () => {
    expect(configFromEnv({ SCAN_REGIONS: 'eu-west-1, us-east-1' }).scanRegions).toEqual(['eu-west-1', 'us-east-1']);
    expect(() => configFromEnv({ SCAN_REGIONS: 'eu-west-1,Ireland' })).toThrow('invalid setting SCAN_REGIONS: must be a region name like eu-west-1');
    expect(memberAccountsOf(configFromEnv({ SCAN_REGIONS: 'us-east-1' }))).toEqual({ accounts: [] });
    expect(() => createInventoryScanHandler({ ...ENV, SCAN_REGIONS: 'us-east-1', SCAN_ROLE_NAME: PATTERN, ...FAN_OUT }, fanOutFromEnv)).not.toThrow();
    expect(() => createInventoryScanHandler({ ...ENV, SCAN_REGIONS: 'us-east-1', SCAN_ROLE_NAME: 'bad/{region}' })).toThrow('invalid setting SCAN_ROLE_NAME');
  });
});

test("each member client is held to the settings' rate limits, in its own account and region", async () => {
  const created = jest.spyOn(inventoryClient, 'createInventoryClient');
  try {
    const config = { ...DEFAULT_CONFIG, scanListSecretsPerSecond: 10, scanLookupsPerSecond: 3 };
    await scanMemberAccounts(['111111111111', '222222222222'], { config, now: NOW }, { sts: new STSClient({ region: 'eu-west-1' }), roleName: ROLE, region: 'eu-west-1' });
    expect(created.mock.results.map((r) => (r.value as inventoryClient.InventoryClient).limits)).toEqual([
      { ListSecrets: 10, ListSecretVersionIds: 3 },
      { ListSecrets: 10, ListSecretVersionIds: 3 },
    ]);
  } finally {
    created.mockRestore();
  }
});
