import 'aws-sdk-client-mock-jest';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { Account, allowRead, doc, OTHER, trustAccount } from '../access/accountFixture';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../src/findings/finding';
import { PassThrough } from 'node:stream';
import { DEFAULT_CONFIG } from '../../src/config/config';
import { runScanCommand } from '../../src/cli/scan/command';
import * as inventoryClient from '../../src/inventory/client';
import { runCli } from '../helpers/cli';
import { FakeSecretsManager, type FakeSecret } from '../helpers/fakeSecretsManager';
import { startFakeServer, type FakeServer } from '../helpers/fakeSecretsManagerServer';

const cw = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const eb = mockClient(EventBridgeClient);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);

// ListSecrets answers in epoch seconds.
const DAY = 86_400;
const now = Math.floor(Date.now() / 1000);
const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}-AbCdEf`;

const ENTRIES: FakeSecret[] = [
  { ARN: arn('prod/db'), Name: 'prod/db', CreatedDate: now - 200 * DAY, LastChangedDate: now - 200 * DAY, LastAccessedDate: now - DAY },
  {
    ARN: arn('prod/api'),
    Name: 'prod/api',
    CreatedDate: now - 300 * DAY,
    RotationEnabled: true,
    RotationRules: { AutomaticallyAfterDays: 30 },
    LastRotatedDate: now - 10 * DAY,
    LastChangedDate: now - 10 * DAY,
    NextRotationDate: now + 20 * DAY,
    LastAccessedDate: now - DAY,
    KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k',
  },
  { ARN: arn('ci/token'), Name: 'ci/token', CreatedDate: now - 20 * DAY, LastAccessedDate: now - DAY, Tags: [{ Key: 'secretwatch:max-rotation-days', Value: 'weekly' }] },
];

// `secretwatch scan --endpoint <fake>`: the CLI's own client, over HTTP, with fake credentials.
let server: FakeServer;
let restoreEnv: Record<string, string | undefined>;
const ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake',
  AWS_REGION: 'eu-west-1',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_PROFILE: undefined,
};

beforeAll(async () => {
  server = await startFakeServer();
  // Every client a test builds goes to the fake, --endpoint or not: nothing may reach AWS.
  const env: Record<string, string | undefined> = { ...ENV, AWS_ENDPOINT_URL: server.url };
  restoreEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

afterAll(async () => {
  await server.close();
  for (const [k, v] of Object.entries(restoreEnv))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

function serve(secrets: FakeSecret[], options: ConstructorParameters<typeof FakeSecretsManager>[1] = {}): FakeSecretsManager {
  server.fake = new FakeSecretsManager(secrets, options);
  return server.fake;
}

/** runCli against the fake endpoint. */
const scan = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(['scan', '--endpoint', server.url, ...args], options);

function parseLines(stdout: string): Finding[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Finding);
}

beforeEach(() => {
  for (const m of [cw, sns, eb, sts, iam]) m.reset();
  serve(ENTRIES);
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: [], IsTruncated: false });
  cw.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
});

describe('secretwatch scan', () => {
  test('--format json: one finding per line, most severe first; the summary on stderr', async () => {
    const run = await scan(['--region', 'eu-west-1', '--format', 'json']);
    expect(run.code).toBe(0);
    // Within a severity, the longest non-compliant first.
    expect(parseLines(run.stdout).map((f) => `${f.severity} ${f.check} ${f.secret?.name}`)).toEqual([
      'HIGH rotation-overdue prod/db',
      'MEDIUM rotation-not-enabled prod/db',
      'MEDIUM rotation-not-enabled ci/token',
    ]);
    expect(server.fake?.requests).toEqual([{ target: 'ListSecrets', input: { IncludePlannedDeletion: true, MaxResults: 100 } }]);
    expect(run.stderr).toContain('secretwatch: ci/token: tag secretwatch:max-rotation-days="weekly" not a whole number of days from 1 to 3650; maxRotationDays (90) applies');
    expect(run.stderr).toContain('secretwatch scan: 3 finding(s) on 3 secret(s) (0 exempt, 0 pending deletion; 1 ListSecrets and 0 ListSecretVersionIds call(s))');
  });

  test('--format ocsf: one Compliance Finding per line; --format asff: one array, the same findings under their stable Ids', async () => {
    const ocsf = await scan(['--region', 'eu-west-1', '--format', 'ocsf', '-q']);
    expect(ocsf.code).toBe(0);
    const events = parseLines(ocsf.stdout) as unknown as { class_uid: number; type_uid: number; compliance: { control: string; status: string } }[];
    expect(events.map((e) => `${e.class_uid} ${e.type_uid} ${e.compliance.control} ${e.compliance.status}`)).toEqual([
      '2003 200301 rotation-overdue Fail',
      '2003 200301 rotation-not-enabled Fail',
      '2003 200301 rotation-not-enabled Fail',
    ]);
    const asff = await scan(['--region', 'eu-west-1', '--format', 'asff', '-q']);
    expect(asff.code).toBe(0);
    const imported = JSON.parse(asff.stdout) as { Id: string; GeneratorId: string; AwsAccountId: string; Resources: { Id: string }[] }[];
    expect(imported.map((f) => `${f.GeneratorId} ${f.AwsAccountId} ${f.Resources[0].Id}`)).toEqual([
      `rotation-overdue 111122223333 ${arn('prod/db')}`,
      `rotation-not-enabled 111122223333 ${arn('prod/db')}`,
      `rotation-not-enabled 111122223333 ${arn('ci/token')}`,
    ]);
    expect(new Set(imported.map((f) => f.Id)).size).toBe(3);
  });

  test('settings change the verdict; --min-severity drops, --fail-on exits 1', async () => {
    const run = await scan(['--format', 'json', '--set', 'requireCustomerManagedKey=true', '--min-severity', 'LOW', '--fail-on', 'HIGH']);
    expect(
      parseLines(run.stdout)
        .filter((f) => f.check === 'secret-default-kms-key')
        .map((f) => f.secret?.name),
    ).toEqual(['prod/db', 'ci/token']);
    expect(run.code).toBe(1);
    const high = await scan(['--format', 'json', '--min-severity', 'high', '--fail-on', 'medium']);
    expect(parseLines(high.stdout).map((f) => f.check)).toEqual(['rotation-overdue']);
    expect(high.code).toBe(1);
    expect(high.stderr).toContain('3 finding(s) (1 shown)');
    expect((await scan(['--format', 'json', '--fail-on', 'CRITICAL'])).code).toBe(0);
  });

  test('--as-of +200d: what the audit will find; healthy rotation schedules are assumed to keep going', async () => {
    const run = await scan(['--format', 'json', '--as-of', '+200d']);
    expect(parseLines(run.stdout).map((f) => `${f.severity} ${f.check} ${f.secret?.name}`)).toEqual([
      'HIGH rotation-overdue prod/db',
      'HIGH rotation-overdue ci/token',
      'MEDIUM rotation-not-enabled prod/db',
      'MEDIUM rotation-not-enabled ci/token',
      'LOW secret-unused ci/token',
      'LOW secret-unused prod/api',
      'LOW secret-unused prod/db',
    ]);
    expect(run.stderr).toMatch(/judged as of \d{4}-\d{2}-\d{2}T.*, assuming the scheduled rotations of 1 secret\(s\) happen on time/);
  });

  test('a table on a terminal, markdown for a ticket', async () => {
    const table = await scan([], { tty: true });
    expect(table.stdout).toContain('Since (UTC)');
    expect(table.stdout).toMatch(/HIGH\s+│ rotation-overdue\s+│ prod\/db/);
    expect(table.stdout).toContain('200 days old, limit 90');
    const md = await scan(['--format', 'markdown']);
    expect(md.stdout.split('\n')[0]).toBe('| Severity | Check | Resource | Since (UTC) | Account / region | Detail |');
    expect(md.stdout).toContain('1. **HIGH** Secret prod/db has never been rotated: its value is 200 days old (limit 90 days): Rotate the credential');
  });

  test('an inventory that cannot be read: the reason, exit 3', async () => {
    serve(ENTRIES, { listErrors: [[400, 'AccessDeniedException']] });
    const run = await scan(['--format', 'json']);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toBe('secretwatch: scan failed: AccessDeniedException: AccessDeniedException (fake)\n');
  });

  test('a role another account may assume that reads secrets: one finding about the role, from one GetAccountAuthorizationDetails', async () => {
    const account = new Account().role('vendor', { trust: doc(trustAccount(OTHER)), inline: { 'read-prod': doc(allowRead({ Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*' })) } });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: account.roles as never, IsTruncated: false });
    const run = await scan(['--format', 'json', '--min-severity', 'HIGH']);
    expect(parseLines(run.stdout).map((f) => [f.check, f.resource.type, f.resource.name, f.details.secrets])).toEqual([
      ['secrets-readable-from-other-account', 'AwsIamRole', 'vendor', { count: 2, all: false, names: ['prod/db', 'prod/api'] }],
      ['rotation-overdue', 'AwsSecretsManagerSecret', 'prod/db', undefined],
    ]);
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 1);
  });

  test('IAM that cannot be read: the other findings printed, the reason on stderr, exit 3', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).rejects(Object.assign(new Error('not authorized to perform iam:GetAccountAuthorizationDetails'), { name: 'AccessDenied' }));
    const run = await scan(['--format', 'json']);
    expect(run.code).toBe(3);
    expect(parseLines(run.stdout)).toHaveLength(3);
    expect(run.stderr).toContain('secretwatch: roles readable from other accounts not checked: iam:GetAccountAuthorizationDetails failed: AccessDenied: not authorized');
  });

  test('failed version look-ups are reported, the findings still printed, exit 3', async () => {
    const changed = { ...ENTRIES[0], LastChangedDate: now - DAY };
    serve([changed], { versionErrors: new Map([[changed.ARN, [400, 'AccessDeniedException']]]) });
    const run = await scan(['--format', 'json']);
    expect(run.code).toBe(3);
    expect(parseLines(run.stdout)[0]).toMatchObject({ check: 'rotation-overdue', details: { versionLookup: 'look-up failed: AccessDeniedException (HTTP 400)' } });
    expect(run.stderr).toContain('1 ListSecrets and 1 ListSecretVersionIds call(s), 1 look-up(s) failed)');
  });

  test.each([
    [['scan', '--as-of', 'next month'], /--as-of.*expected an ISO 8601 date/],
    [['scan', '--as-of', '2024-02-30'], /--as-of.*not a valid date|expected an ISO 8601/],
    [['scan', '--as-of', '30d'], /give a date, or days from now with a sign/],
    [['scan', '--endpoint', 'localhost:5000'], /--endpoint.*expected an http:\/\/ or https:\/\/ URL/],
    [['scan', '--endpoint', 'not a url'], /expected a URL such as/],
    [['scan', '--format', 'csv'], /expected one of table, json, markdown/],
    [['scan', '--set', 'maxRotationDays=0'], /invalid setting --set.maxRotationDays/],
    [['scan', '--accounts', '222233334444,2222'], /--accounts.*"2222" is not a 12-digit account id/],
    [['scan', '--accounts', ','], /--accounts.*no account id/],
    [['scan', '--accounts', '222233334444', '--role-name', 'role/with/slashes'], /--role-name.*expected an IAM role name/],
    [['scan', '--accounts', '222233334444', '--stage', 'prod_eu'], /--stage.*expected a stage name/],
    [['scan', '--accounts', '222233334444', '--regions', 'eu-west-1,Dublin'], /--regions.*"Dublin" is not a region name/],
    [['scan', '--accounts', '222233334444', '--role-name', 'scan-{region}/x'], /--role-name.*expected an IAM role name/],
    [['scan', '--set', 'scanOrganization=true', '--set', 'scanAccounts=222233334444'], /invalid setting --set.scanOrganization: cannot be combined with scanAccounts/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(server.fake?.requests).toEqual([]);
  });

  describe('--accounts: the member accounts too, through their scan roles', () => {
    /** AssumeRole as STS answers it: credentials of the role's account, refused for 999999999999. */
    function stsAnswers(): void {
      sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
        const account = input.RoleArn.split(':')[4];
        if (account === '999999999999') throw Object.assign(new Error(`not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`), { name: 'AccessDenied' });
        return { Credentials: { AccessKeyId: `AKID${account}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) } };
      });
    }

    test('each member is scanned with its role (secretwatch-<stage>-scan-<region>); the summary counts every account', async () => {
      stsAnswers();
      const run = await scan(['--region', 'eu-west-1', '--format', 'json', '--accounts', '222233334444, 333344445555', '--stage', 'prod']);
      expect(run.code).toBe(0);
      expect(
        sts
          .commandCalls(AssumeRoleCommand)
          .map((c) => c.args[0].input.RoleArn)
          .sort(),
      ).toEqual(['arn:aws:iam::222233334444:role/secretwatch-prod-scan-eu-west-1', 'arn:aws:iam::333344445555:role/secretwatch-prod-scan-eu-west-1']);
      // The fake answers every account alike: three accounts, the same three findings in each.
      expect(parseLines(run.stdout)).toHaveLength(9);
      expect(server.fake?.requests.filter((r) => r.target === 'ListSecrets')).toHaveLength(3);
      expect(run.stderr).toContain('secretwatch scan: account 222233334444: 3 secret(s), 3 finding(s)\n');
      expect(run.stderr).toContain('secretwatch scan: 9 finding(s) on 9 secret(s) in 3 accounts (0 exempt, 0 pending deletion; 3 ListSecrets and 0 ListSecretVersionIds call(s))');
    });

    test('an account whose role cannot be assumed: its finding printed, a line on stderr, the others scanned, exit 3; --role-name names the role', async () => {
      stsAnswers();
      const run = await scan(['--region', 'eu-west-1', '--format', 'json', '--accounts', '999999999999,222233334444', '--role-name', 'audit-read-only', '-q']);
      expect(run.code).toBe(3);
      expect(
        sts
          .commandCalls(AssumeRoleCommand)
          .map((c) => c.args[0].input.RoleArn)
          .sort(),
      ).toEqual(['arn:aws:iam::222233334444:role/audit-read-only', 'arn:aws:iam::999999999999:role/audit-read-only']);
      const findings = parseLines(run.stdout);
      expect(findings.filter((f) => f.check === 'scan-account-unreachable')).toEqual([
        expect.objectContaining({
          check: 'scan-account-unreachable',
          severity: 'HIGH',
          account: '999999999999',
          details: expect.objectContaining({ step: 'AssumeRole', roleArn: 'arn:aws:iam::999999999999:role/audit-read-only' }),
        }),
      ]);
      expect(findings).toHaveLength(1 + 3 + 3);
      expect(run.stderr).toBe(
        'secretwatch: ci/token: tag secretwatch:max-rotation-days="weekly" not a whole number of days from 1 to 3650; maxRotationDays (90) applies\n'.repeat(2) +
          'secretwatch: account 999999999999 not scanned: AssumeRole failed: AccessDenied: not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::999999999999:role/audit-read-only\n',
      );
    });

    test('--fail-on HIGH catches an unreachable account', async () => {
      stsAnswers();
      const run = await scan(['--region', 'eu-west-1', '--format', 'json', '--accounts', '999999999999', '--fail-on', 'HIGH', '-q']);
      expect(run.code).toBe(1);
    });

    test('scanAccounts from the settings file is honoured like the function honours it; --accounts overrides it', async () => {
      stsAnswers();
      const dir = mkdtempSync(join(tmpdir(), 'secretwatch-scan-accounts-'));
      writeFileSync(join(dir, 'secretwatch.config.json'), JSON.stringify({ scanAccounts: ['333344445555'] }));
      const fromFile = await scan(['--region', 'eu-west-1', '--format', 'json', '-q'], { cwd: dir });
      expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual(['arn:aws:iam::333344445555:role/secretwatch-dev-scan-eu-west-1']);
      expect(fromFile.code).toBe(0);
      sts.resetHistory();
      await scan(['--region', 'eu-west-1', '--format', 'json', '-q', '--accounts', '222233334444'], { cwd: dir });
      expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual(['arn:aws:iam::222233334444:role/secretwatch-dev-scan-eu-west-1']);
    });
  });

  test("the rate limits are the settings' (scanListSecretsPerSecond, scanLookupsPerSecond)", async () => {
    const created = jest.spyOn(inventoryClient, 'createInventoryClient');
    try {
      await scan(['--format', 'json', '-q', '--set', 'scanListSecretsPerSecond=7', '--set', 'scanLookupsPerSecond=2']);
      expect(created.mock.results.map((r) => (r.value as inventoryClient.InventoryClient).limits)).toEqual([{ ListSecrets: 7, ListSecretVersionIds: 2 }]);
    } finally {
      created.mockRestore();
    }
    const run = await runCli(['scan', '--set', 'scanListSecretsPerSecond=500']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid setting --set.scanListSecretsPerSecond/);
  });

  test('--publish with --as-of is refused: a projection is not a measurement', async () => {
    const run = await scan(['--publish', '--as-of', '+30d']);
    expect(run).toMatchObject({ code: 2, stderr: 'secretwatch: --publish cannot be combined with --as-of: a projection is not a measurement\n' });
    expect(server.fake?.requests).toEqual([]);
  });

  test('--publish sends the gauges, a full digest and every finding, as the function does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretwatch-scan-'));
    writeFileSync(join(dir, 'secretwatch.config.json'), JSON.stringify({ alertTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts', findingsBusName: 'findings' }));
    const run = await scan(['--format', 'json', '--publish', '--region', 'eu-west-1'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData?.map((m) => m.MetricName)).toEqual([
      'Secrets',
      'RotationMissed',
      'RotationOverdue',
      'RotationNotEnabled',
      'Unused',
      'PendingDeletion',
      'ScanCompleted',
    ]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Subject).toMatch(/^\[HIGH\] SecretWatch weekly digest 111122223333 eu-west-1: 3 finding\(s\)/);
    expect(eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? [])).toHaveLength(3);
    expect(run.stderr).toContain('published the gauges to SecretWatch, a full digest to the alert topic, 3 finding(s) to findings');
  });

  test('--publish that cannot deliver: exit 4, after the findings were printed', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('no topic'), { name: 'NotFoundException' }));
    const run = await scan(['--format', 'json', '--publish', '--set', 'alertTopicArn=arn:aws:sns:eu-west-1:111122223333:gone']);
    expect(run.code).toBe(4);
    expect(parseLines(run.stdout)).toHaveLength(3);
    expect(run.stderr).toContain('secretwatch: publishing failed: NotificationError');
  });

  test('on a terminal, a progress bar on stderr while a large inventory is listed and looked up; cleared when done', async () => {
    const many: FakeSecret[] = Array.from({ length: 1200 }, (_, i) => ({
      ARN: arn(`bulk/s${i}`),
      Name: `bulk/s${i}`,
      CreatedDate: now - 200 * DAY,
      LastChangedDate: i % 10 ? now - 200 * DAY : now - DAY,
      LastAccessedDate: now - DAY,
    }));
    serve(many);
    const stdout = Object.assign(new PassThrough(), { isTTY: false });
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const err: Buffer[] = [];
    stderr.on('data', (c: Buffer) => err.push(c));
    stdout.resume();
    const code = await runScanCommand({ config: DEFAULT_CONFIG, format: 'json', endpoint: server.url, publish: false, progress: true, quiet: true }, { stdout, stderr, env: {}, cwd: process.cwd() });
    expect(code).toBe(0);
    const text = Buffer.concat(err).toString('utf8');
    expect(text).toContain('scan: listing secrets | 1200 listed');
    expect(text).toMatch(/scan: AWSCURRENT versions \[.*\] 120\/120/);
  });
});
