/**
 * The packaged identityMonitor zip of a us-east-1 stack, run as Lambda runs it, against a
 * moto_server that serves AWS's managed policies (MOTO_IAM_LOAD_MANAGED_POLICIES=true): the
 * function reads the policy an event names from IAM, judges it, and reports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, IAMClient, SetDefaultPolicyVersionCommand } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { runPackage, serviceCopy, type Resource } from '../template/packaging';
import { envelopeOf, sampleRecord } from './cloudtrail';
import { invokePackaged, lambdaEnvironment, unpackHandler } from './lambdaProcess';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION } from './motoServer';

jest.setTimeout(180_000);

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const policyOf = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

interface Result {
  status: string;
  findings: { check: string; severity: string; title: string; resource: Record<string, unknown>; details: Record<string, any>; remediation: string }[];
}

describeWithMoto(
  'packaged identityMonitor zip (us-east-1), against moto_server with the AWS managed policies',
  (moto) => {
    const work = mkdtempSync(join(tmpdir(), 'secretwatch-identity-artifact-'));
    let fn: Resource;
    let moduleFile: string;
    let iam: IAMClient;
    let topicArn: string;

    beforeAll(async () => {
      // Packaged in a copy of the service: other tests package the repository itself meanwhile.
      const out = join(work, 'package');
      const packaged = runPackage({}, out, serviceCopy(join(work, 'service')), 'us-east-1');
      if (packaged.status !== 0) throw new Error(`serverless package failed:\n${packaged.output}`);
      ({ fn, moduleFile } = unpackHandler(out, 'identityMonitor', join(work, 'function')));
      iam = new IAMClient(moto.clientConfig());
      const sns = new SNSClient(moto.clientConfig());
      topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn!;
      sns.destroy();
    });

    afterAll(() => {
      iam?.destroy();
      rmSync(work, { recursive: true, force: true });
    });

    /** The Panther AttachRolePolicy record, made a call of this account in us-east-1. */
    function event(eventName: string, requestParameters: Record<string, unknown>, eventID: string) {
      return envelopeOf({ ...sampleRecord('AttachRolePolicy/panther-1.json'), eventName, eventID, awsRegion: MOTO_REGION, recipientAccountId: MOTO_ACCOUNT, requestParameters });
    }

    async function invoke(envelope: unknown): Promise<{ result: Result; stdout: string }> {
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries((fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>)) {
        if (key === 'ALERT_TOPIC_ARN') env[key] = topicArn;
        // No bus and no delivery table here: this test is about reading the policies.
        else if (key !== 'FINDINGS_BUS_NAME' && key !== 'DELIVERY_TABLE_NAME') env[key] = String(value);
      }
      const run = await invokePackaged(
        { moduleFile, functionName: 'secretwatch-ci-identityMonitor' },
        envelope,
        lambdaEnvironment(moto.endpoint, 'secretwatch-ci-identityMonitor', { ...env, LOG_LEVEL: 'WARN' }),
      );
      expect(run.error).toBeNull();
      // The structured log, whichever stream each level goes to.
      return { result: run.result as unknown as Result, stdout: `${run.stdout}\n${run.stderr}` };
    }

    it('reads a customer-managed policy attached to a role, and reports what it grants', async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST }));
      const { Policy } = await iam.send(
        new CreatePolicyCommand({ PolicyName: 'ReadAllSecrets', PolicyDocument: policyOf({ Sid: 'Read', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }) }),
      );
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: Policy!.Arn }));

      const { result } = await invoke(event('AttachRolePolicy', { roleName: 'app', policyArn: Policy!.Arn }, 'artifact-iam-1'));
      expect(result.status).toBe('processed');
      expect(result.findings.map((f) => [f.check, f.severity])).toEqual([['identity-policy-reads-all-secrets', 'HIGH']]);
      const [finding] = result.findings;
      expect(finding.resource).toEqual({ type: 'AwsIamRole', arn: `arn:aws:iam::${MOTO_ACCOUNT}:role/app`, name: 'app', id: 'app' });
      expect(finding.details.policy).toEqual({ name: 'ReadAllSecrets', arn: Policy!.Arn, versionId: 'v1', awsManaged: false, documentSource: 'iam' });
      expect(finding.details.statements).toEqual([{ sid: 'Read', index: 0, actions: ['secretsmanager:GetSecretValue'], resources: ['*'], readsSecretValues: true, administers: [] }]);
      expect(finding.remediation).toContain(`aws iam detach-role-policy --role-name app --policy-arn ${Policy!.Arn}`);
    });

    it('reads an AWS managed policy as IAM serves it (AdministratorAccess)', async () => {
      const { result } = await invoke(event('AttachRolePolicy', { roleName: 'app', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'artifact-iam-2'));
      expect(result.findings.map((f) => f.check).sort()).toEqual(['identity-policy-administers-all-secrets', 'identity-policy-reads-all-secrets']);
      expect(result.findings[0].details.policy).toMatchObject({ name: 'AdministratorAccess', awsManaged: true, documentSource: 'iam' });
    });

    it('a new default version: the policy, the principals it is attached to, the version to go back to', async () => {
      await iam.send(new CreateRoleCommand({ RoleName: 'builder', AssumeRolePolicyDocument: TRUST }));
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'BuildPolicy', PolicyDocument: policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'builder', PolicyArn: Policy!.Arn }));
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: policyOf({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }), SetAsDefault: false }));
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v2' }));

      const { result } = await invoke(event('SetDefaultPolicyVersion', { policyArn: Policy!.Arn, versionId: 'v2' }, 'artifact-iam-3'));
      const reads = result.findings.find((f) => f.check === 'identity-policy-reads-all-secrets')!;
      expect(reads.resource).toMatchObject({ type: 'AwsIamPolicy', arn: Policy!.Arn, name: 'BuildPolicy' });
      expect(reads.title).toBe(`New default version v2 of managed policy BuildPolicy lets role builder read the values of every secret of account ${MOTO_ACCOUNT}`);
      expect(reads.details.attachedTo).toEqual([{ type: 'AwsIamRole', name: 'builder', arn: `arn:aws:iam::${MOTO_ACCOUNT}:role/builder` }]);
      expect(reads.remediation).toContain(`aws iam set-default-policy-version --policy-arn ${Policy!.Arn} --version-id v1`);
    });

    it('a policy that does not exist: no finding, and the log says why', async () => {
      const missing = `arn:aws:iam::${MOTO_ACCOUNT}:policy/Gone`;
      const { result, stdout } = await invoke(event('AttachRolePolicy', { roleName: 'app', policyArn: missing }, 'artifact-iam-4'));
      expect(result).toMatchObject({ status: 'processed', findings: [] });
      const warning = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .find((l) => l.message === 'identity policy not read: its change is not evaluated');
      expect(warning).toMatchObject({ policyArn: missing, eventId: 'artifact-iam-4' });
      expect(warning.reason).toMatch(/^NoSuchEntity/);
    });
  },
  (bin) => ({ command: 'env', args: ['MOTO_IAM_LOAD_MANAGED_POLICIES=true', bin] }),
);
