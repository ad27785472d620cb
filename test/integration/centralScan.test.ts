/**
 * The central inventory scan (mode central, docs/organization.md) against moto_server: the central
 * account (moto's default) and two member accounts holding secrets, reached through STS AssumeRole
 * (moto returns credentials for the role's account, and keeps each account's secrets apart), and a
 * third member account whose AssumeRole is refused. moto does not enforce trust policies, so that
 * refusal is the AccessDenied error STS gives, returned by middleware on the test's STS client for
 * that account only; everything else is moto's. scanOrganization lists the accounts of an
 * organization made in moto (CreateOrganization, CreateAccount).
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config';
import { createDeliveryClients } from '../../src/delivery/clients';
import { silentLog } from '../../src/delivery/log';
import type { Finding } from '../../src/findings/finding';
import { createInventoryClient } from '../../src/inventory/client';
import { scanMemberAccounts, scanMembers } from '../../src/runtime/centralScan';
import { memberScanRoleName } from '../../src/runtime/scanRoleName';
import { handleInventoryScan, type InventoryScanResult } from '../../src/runtime/inventoryScan';
import { runCli } from '../helpers/cli';
import { clientIn, DENIED, MEMBER_A, MEMBER_B, refusingSts, ROLE_NAME, seedCentralScan } from './memberAccounts';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages } from './motoServer';

jest.setTimeout(60_000);

describeWithMoto('central inventory scan across member accounts', (moto) => {
  let topicArn = '';
  let alertQueueUrl = '';

  beforeAll(async () => {
    ({ topicArn, alertQueueUrl } = await seedCentralScan(moto));
  });

  test('each member account is scanned with its own credentials, findings carry its account, the refused one is one HIGH finding', async () => {
    moto.assertEnvironment();
    const config: Config = { ...DEFAULT_CONFIG, alertTopicArn: topicArn, scanAccounts: [MEMBER_A, DENIED, MEMBER_B] };
    const { sts, assumed } = refusingSts();
    const inventory = createInventoryClient();
    const findings: Finding[] = [];
    const log = { ...silentLog, info: (message: string, extra?: Record<string, unknown>) => void (message === 'finding' && findings.push(extra?.finding as Finding)) };
    let result: InventoryScanResult;
    try {
      // The scan's clock is floored to the minute: a scheduled time two minutes ahead (inside the allowed skew) judges the secrets just made.
      result = await handleInventoryScan(
        { time: new Date(Date.now() + 120_000).toISOString() },
        { config, inventory, clients: createDeliveryClients(), log, region: MOTO_REGION, central: { sts, roleName: ROLE_NAME, region: MOTO_REGION } },
      );
    } finally {
      inventory.client.destroy();
      sts.destroy();
    }

    expect(assumed.sort()).toEqual([MEMBER_A, MEMBER_B, DENIED].sort().map((a) => `arn:aws:iam::${a}:role/secretwatch-dev-scan-us-east-1`));
    expect(result).toMatchObject({
      status: 'completed',
      secrets: 1 + 2 + 3,
      findings: 6 + 1,
      accounts: [
        { account: MEMBER_A, status: 'scanned', secrets: 2, findings: 2 },
        { account: DENIED, status: 'unreachable', step: 'AssumeRole', error: expect.stringMatching(/^AccessDenied: .*not authorized to perform: sts:AssumeRole/) },
        { account: MEMBER_B, status: 'scanned', secrets: 3, findings: 3 },
      ],
      delivery: { digestPublished: true },
    });

    const byAccount = (account: string) => findings.filter((f) => f.account === account);
    expect(byAccount(MOTO_ACCOUNT).map((f) => [f.check, f.secret?.name])).toEqual([['rotation-not-enabled', 'central/db']]);
    expect(
      byAccount(MEMBER_A)
        .map((f) => [f.check, f.secret?.name])
        .sort(),
    ).toEqual([
      ['rotation-not-enabled', 'a/one'],
      ['rotation-not-enabled', 'a/two'],
    ]);
    expect(byAccount(MEMBER_B).map((f) => f.secret?.arn?.split(':')[4])).toEqual([MEMBER_B, MEMBER_B, MEMBER_B]);
    // One digest for the four accounts, each line naming its account.
    const sqs = new SQSClient(moto.clientConfig());
    const [message] = await receiveMessages(sqs, alertQueueUrl, { expect: 1 });
    sqs.destroy();
    const notification = JSON.parse(message.Body!) as { Subject: string; Message: string };
    expect(notification.Subject).toBe(`[HIGH] SecretWatch scan 4 accounts in ${MOTO_REGION}: 7 new finding(s)`);
    const digest = JSON.parse(notification.Message) as { accounts: number; entries: { account: string; secret: string }[] };
    expect(digest.accounts).toBe(4);
    expect(
      digest.entries
        .filter((e) => e.account === MEMBER_B)
        .map((e) => e.secret)
        .sort(),
    ).toEqual(['b/one', 'b/three', 'b/two']);

    expect(byAccount(DENIED)).toEqual([
      expect.objectContaining({
        check: 'scan-account-unreachable',
        severity: 'HIGH',
        title: `Account ${DENIED} could not be scanned in ${MOTO_REGION}: AssumeRole failed`,
        resource: { type: 'AwsAccount', arn: null, name: DENIED, id: DENIED },
        region: MOTO_REGION,
        details: expect.objectContaining({ step: 'AssumeRole', roleArn: `arn:aws:iam::${DENIED}:role/secretwatch-dev-scan-us-east-1` }),
      }),
    ]);
  });

  test('an account whose ListSecrets fails after its role is assumed is unreachable at ListSecrets; the others are still scanned', async () => {
    moto.assertEnvironment();
    const config: Config = { ...DEFAULT_CONFIG, scanAccounts: [MEMBER_A, MEMBER_B] };
    const sts = new STSClient({});
    const options = { config, now: new Date() };
    try {
      const reachable = await scanMemberAccounts([MEMBER_A], options, { sts, roleName: ROLE_NAME, region: MOTO_REGION });
      // Member B's Secrets Manager endpoint is a closed local port: the role is assumed (moto), listing fails.
      const failing = await scanMemberAccounts([MEMBER_B], options, { sts, roleName: ROLE_NAME, region: MOTO_REGION, clientOptions: { endpoint: 'http://127.0.0.1:9' } });
      expect(reachable).toEqual([expect.objectContaining({ account: MEMBER_A, status: 'scanned' })]);
      expect(reachable[0].status === 'scanned' && reachable[0].result.evaluation.counts.secrets).toBe(2);
      expect(failing).toEqual([
        expect.objectContaining({ account: MEMBER_B, status: 'unreachable', step: 'ListSecrets', finding: expect.objectContaining({ check: 'scan-account-unreachable', account: MEMBER_B }) }),
      ]);
    } finally {
      sts.destroy();
    }
  });
  test('scanOrganization with Organizations out of reach: one ListAccounts finding for the central account, no member scanned', async () => {
    moto.assertEnvironment();
    const sts = new STSClient({});
    // moto answers ListAccounts with an empty list even without an organization (AWS refuses it), so the failure is a closed local port.
    const organizations = new OrganizationsClient({ endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      const scans = await scanMembers({ organization: true }, { config: DEFAULT_CONFIG, now: new Date() }, { sts, organizations, roleName: ROLE_NAME, region: MOTO_REGION });
      expect(scans).toEqual([
        expect.objectContaining({
          account: MOTO_ACCOUNT,
          status: 'unreachable',
          step: 'ListAccounts',
          error: expect.stringMatching(/ECONNREFUSED/),
          finding: expect.objectContaining({ check: 'scan-account-unreachable', severity: 'HIGH', account: MOTO_ACCOUNT, details: expect.objectContaining({ step: 'ListAccounts', roleArn: null }) }),
        }),
      ]);
    } finally {
      sts.destroy();
      organizations.destroy();
    }
  });

  test('scanOrganization: every account the organization lists (ListAccounts), the central one left out, each scanned with its own credentials', async () => {
    moto.assertEnvironment();
    const organizations = new OrganizationsClient({});
    const sts = new STSClient({});
    try {
      await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      const created: string[] = [];
      for (const name of ['payments', 'analytics']) {
        const request = await organizations.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
        const status = await organizations.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus!.Id! }));
        created.push(status.CreateAccountStatus!.AccountId!);
      }
      const payments = await clientIn(moto, created[0]);
      await payments.send(new CreateSecretCommand({ Name: 'payments/api-key', SecretString: 'x' }));

      const config: Config = { ...DEFAULT_CONFIG, scanOrganization: true };
      const findings: Finding[] = [];
      const log = { ...silentLog, info: (message: string, extra?: Record<string, unknown>) => void (message === 'finding' && findings.push(extra?.finding as Finding)) };
      const inventory = createInventoryClient();
      let result: InventoryScanResult;
      try {
        result = await handleInventoryScan(
          { time: new Date(Date.now() + 120_000).toISOString() },
          { config, inventory, clients: createDeliveryClients(), log, region: MOTO_REGION, central: { sts, organizations, roleName: ROLE_NAME, region: MOTO_REGION } },
        );
      } finally {
        inventory.client.destroy();
      }
      expect(result).toMatchObject({ status: 'completed', accounts: created.map((account) => expect.objectContaining({ account, status: 'scanned' })) });
      expect(result.status === 'completed' && result.accounts?.map((a) => a.account)).not.toContain(MOTO_ACCOUNT);
      expect(findings.filter((f) => f.account === created[0]).map((f) => [f.check, f.secret?.name])).toEqual([['rotation-not-enabled', 'payments/api-key']]);
    } finally {
      sts.destroy();
      organizations.destroy();
    }
  });
  test("secretwatch scan --accounts: the same central scan from a shell, listed accounts or the organization, through moto's STS", async () => {
    moto.assertEnvironment();
    const listed = await runCli(['scan', '--endpoint', moto.endpoint, '--region', MOTO_REGION, '--format', 'json', '--accounts', `${MEMBER_A},${MEMBER_B}`]);
    expect(listed.code).toBe(0);
    const byAccount = (stdout: string) => {
      const counts: Record<string, number> = {};
      for (const line of stdout.split('\n').filter(Boolean)) {
        const f = JSON.parse(line) as Finding;
        counts[f.account ?? ''] = (counts[f.account ?? ''] ?? 0) + 1;
      }
      return counts;
    };
    expect(byAccount(listed.stdout)).toMatchObject({ [MOTO_ACCOUNT]: 1, [MEMBER_A]: 2, [MEMBER_B]: 3 });
    expect(listed.stderr).toContain(`secretwatch scan: account ${MEMBER_A}: 2 secret(s), 2 finding(s)`);

    // The organization made by the previous test: its two accounts, not the central one.
    const organization = await runCli(['scan', '--endpoint', moto.endpoint, '--region', MOTO_REGION, '--format', 'json', '--accounts', 'organization', '-q']);
    expect(organization.code).toBe(0);
    const accounts = Object.keys(byAccount(organization.stdout));
    expect(accounts).toContain(MOTO_ACCOUNT);
    expect(accounts.filter((a) => a !== MOTO_ACCOUNT)).toHaveLength(1); // the payments account holds the only member secret
    expect(organization.stderr).toBe('');
  });
  test("scanRegions: each member account in each region through that region's role, the central account in its other region", async () => {
    moto.assertEnvironment();
    const OTHER = 'eu-west-1';
    // A secret in the other region, in member A and in the central account itself.
    const sts = new STSClient({});
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER_A}:role/${memberScanRoleName('dev', OTHER)}`, RoleSessionName: 'seed' }));
    const c = assumed.Credentials!;
    const memberA = new SecretsManagerClient({
      ...moto.clientConfig(),
      region: OTHER,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
    });
    await memberA.send(new CreateSecretCommand({ Name: 'a/dublin', SecretString: 'x' }));
    const central = new SecretsManagerClient({ ...moto.clientConfig(), region: OTHER });
    await central.send(new CreateSecretCommand({ Name: 'central/dublin', SecretString: 'x' }));
    memberA.destroy();
    central.destroy();
    const roleArns: string[] = [];
    sts.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { RoleArn?: string };
        if (input.RoleArn) roleArns.push(input.RoleArn);
        return next(args);
      },
      { step: 'initialize', name: 'recordRoleArns' },
    );
    try {
      const scans = await scanMembers(
        { accounts: [MEMBER_A] },
        { config: DEFAULT_CONFIG, now: new Date(Date.now() + 120_000) },
        { sts, roleName: 'secretwatch-dev-scan-{region}', region: MOTO_REGION, regions: [MOTO_REGION, OTHER] },
      );
      expect(scans.map((s) => `${s.account} ${s.region} ${s.status}`)).toEqual([`${MEMBER_A} ${MOTO_REGION} scanned`, `${MEMBER_A} ${OTHER} scanned`, `${MOTO_ACCOUNT} ${OTHER} scanned`]);
      expect(roleArns.sort()).toEqual(
        [
          `arn:aws:iam::${MEMBER_A}:role/secretwatch-dev-scan-${MOTO_REGION}`,
          `arn:aws:iam::${MEMBER_A}:role/secretwatch-dev-scan-${OTHER}`,
          `arn:aws:iam::${MOTO_ACCOUNT}:role/secretwatch-dev-scan-${OTHER}`,
        ].sort(),
      );
      const names = (i: number) => (scans[i].status === 'scanned' ? scans[i].result.evaluation.findings.map((f) => `${f.secret?.name} ${f.region} ${f.account}`).sort() : []);
      expect(names(1)).toEqual([`a/dublin ${OTHER} ${MEMBER_A}`]);
      expect(names(2)).toEqual([`central/dublin ${OTHER} ${MOTO_ACCOUNT}`]);
      expect(names(0)).toEqual([`a/one ${MOTO_REGION} ${MEMBER_A}`, `a/two ${MOTO_REGION} ${MEMBER_A}`]);
    } finally {
      sts.destroy();
    }
  });
  test('secretwatch scan --regions: the members in each region, one stderr line per account and region', async () => {
    moto.assertEnvironment();
    const run = await runCli(['scan', '--endpoint', moto.endpoint, '--region', MOTO_REGION, '--format', 'json', '--accounts', MEMBER_A, '--regions', `${MOTO_REGION},eu-west-1`]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`secretwatch scan: account ${MEMBER_A} in eu-west-1: 1 secret(s), 1 finding(s)`);
    expect(run.stderr).toContain(`secretwatch scan: account ${MOTO_ACCOUNT} in eu-west-1: 1 secret(s), 1 finding(s)`);
    const regions = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as Finding).region);
    expect(new Set(regions)).toEqual(new Set([MOTO_REGION, 'eu-west-1']));
  });
});
