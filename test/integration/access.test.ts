/**
 * `secretwatch access` against moto_server with its AWS managed policies loaded: roles, users and
 * a group seeded with real IAM calls, two secrets, and the readers the command prints.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { CreateSecretCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AccessReport } from '../../src/access';
import type { Finding } from '../../src/findings/finding';
import { runCli } from '../helpers/cli';
import { describeWithMoto, MOTO_REGION } from './motoServer';
import { iamArn as arn, OUTSIDE, policy, READ_WRITE, seedAccount } from './seededIam';

jest.setTimeout(60_000);

const PARTNER_ROLE = 'arn:aws:iam::444455556666:role/partner-etl';

describeWithMoto(
  'secretwatch access against moto_server',
  (moto) => {
    beforeAll(async () => {
      const config = moto.clientConfig();
      const iam = new IAMClient(config);
      const secrets = new SecretsManagerClient(config);
      await seedAccount(iam);
      await secrets.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: 'not read by the test', Tags: [{ Key: 'team', Value: 'payments' }] }));
      await secrets.send(new CreateSecretCommand({ Name: 'dev/app', SecretString: 'not read by the test', Tags: [{ Key: 'team', Value: 'search' }] }));
      await secrets.send(
        new PutResourcePolicyCommand({
          SecretId: 'prod/db',
          ResourcePolicy: policy({ Sid: 'Partner', Effect: 'Allow', Principal: { AWS: PARTNER_ROLE }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }),
        }),
      );
      iam.destroy();
      secrets.destroy();
    });

    async function access(secret: string, format = 'json') {
      return runCli(['access', secret, '--endpoint', moto.endpoint, '--region', MOTO_REGION, '--format', format]);
    }

    it('prod/db: the role of its prefix, the managed-policy role, the group member, the tag-conditioned user and the partner role', async () => {
      const run = await access('prod/db');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as AccessReport;
      expect(report.readers.map((r) => [r.principal, r.via, r.blockedBy === null])).toEqual([
        [arn('role', 'app-reader'), ['identity'], true],
        [arn('role', 'vendor-access'), ['identity'], true],
        [arn('user', 'alice'), ['identity'], true],
        [arn('user', 'carol'), ['identity'], true],
        [PARTNER_ROLE, ['resource'], false],
      ]);
      const vendor = report.readers.find((r) => r.principal === arn('role', 'vendor-access'));
      expect(vendor?.grants).toMatchObject([{ policy: READ_WRITE, policyType: 'managed' }]);
      expect(vendor?.assumableBy).toMatchObject([{ principal: `arn:aws:iam::${OUTSIDE}:root`, type: 'AwsAccount', conditions: ['StringEquals sts:ExternalId = "vendor-7"'] }]);
      expect(report.readers.find((r) => r.principal === arn('user', 'alice'))?.grants).toMatchObject([{ policy: 'dba-read', group: 'dba' }]);
      expect(report.notConsidered).toEqual(expect.arrayContaining([expect.stringContaining('SCPs')]));
    });

    it('dev/app, by ARN: the Deny on prod/* no longer applies and the tag condition fails', async () => {
      const byName = JSON.parse((await access('dev/app')).stdout) as AccessReport;
      const report = JSON.parse((await access(byName.secret.arn)).stdout) as AccessReport;
      expect(report.secret).toMatchObject({ name: 'dev/app', arn: byName.secret.arn, hasResourcePolicy: false });
      expect(report.readers.map((r) => r.principal)).toEqual([arn('role', 'ops'), arn('role', 'vendor-access'), arn('user', 'alice')]);
    });

    it('secretwatch scan reports exactly the one role an outside account may assume that reads secrets', async () => {
      const run = await runCli(['scan', '--endpoint', moto.endpoint, '--region', MOTO_REGION, '--format', 'json']);
      expect(run.code).toBe(0);
      const findings = run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Finding)
        .filter((f) => f.check === 'secrets-readable-from-other-account');
      expect(findings).toEqual([
        expect.objectContaining({
          severity: 'HIGH',
          resource: { type: 'AwsIamRole', arn: arn('role', 'vendor-access'), name: 'vendor-access', id: arn('role', 'vendor-access') },
          details: expect.objectContaining({ accounts: [OUTSIDE], secrets: { count: 2, all: true, names: expect.arrayContaining(['prod/db', 'dev/app']) } }),
        }),
      ]);
    });

    it('table and markdown name the readers; an unknown secret is exit 3', async () => {
      const table = await access('prod/db', 'table');
      expect(table.stdout).toContain('vendor-access');
      expect(table.stdout).toContain('Not considered:');
      const markdown = await access('prod/db', 'markdown');
      expect(markdown.stdout).toContain('| Principal | Type |');
      const missing = await access('no/such-secret');
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain('ResourceNotFoundException');
    });
  },
  (motoServer) => ({ command: 'env', args: ['MOTO_IAM_LOAD_MANAGED_POLICIES=true', motoServer] }),
);
