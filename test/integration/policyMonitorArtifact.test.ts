/**
 * The packaged policyMonitor zip, with remediatePublicPolicy and confirmWithAccessAnalyzer on, run
 * as Lambda runs it: its handler module (named in the packaged template) is loaded by a fresh node
 * process with the template's environment and invoked with a PutResourcePolicy event. Both
 * follow-ups load only on first use: the remediation from the bundle, IAM Access Analyzer's client
 * from the runtime's SDK on NODE_PATH. This proves that both still load, against moto_server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, GetResourcePolicyCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { runPackage, serviceCopy, type Resource } from '../template/packaging';
import { envelopeOf, sampleRecord } from './cloudtrail';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION } from './motoServer';
import { invokePackaged, lambdaEnvironment, unpackHandler } from './lambdaProcess';

jest.setTimeout(120_000);

describeWithMoto('packaged policyMonitor zip with remediatePublicPolicy and confirmWithAccessAnalyzer, against moto_server', (moto) => {
  const work = mkdtempSync(join(tmpdir(), 'secretwatch-policy-artifact-'));
  let fn: Resource;
  let moduleFile: string;

  beforeAll(() => {
    // Packaged in a copy of the service: other tests package the repository itself meanwhile.
    const out = join(work, 'package');
    const packaged = runPackage({ remediatePublicPolicy: 'true', confirmWithAccessAnalyzer: 'true' }, out, serviceCopy(join(work, 'service')));
    if (packaged.status !== 0) throw new Error(`serverless package failed:\n${packaged.output}`);
    ({ fn, moduleFile } = unpackHandler(out, 'policyMonitor', join(work, 'function')));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('asks IAM Access Analyzer through the runtime SDK client, and removes the public statement through the bundled remediation', async () => {
    const config = moto.clientConfig();
    const sm = new SecretsManagerClient(config);
    const sns = new SNSClient(config);
    try {
      const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn!;
      const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'artifact/db', SecretString: 'never-read' }));
      const owner = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:role/App` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Everyone', ...owner, Principal: '*' }, owner] });
      await sm.send(new PutResourcePolicyCommand({ SecretId: ARN, ResourcePolicy: policy }));
      const record = {
        ...sampleRecord('PutResourcePolicy/panther-1.json'),
        eventID: 'artifact-0001',
        awsRegion: MOTO_REGION,
        recipientAccountId: MOTO_ACCOUNT,
        requestParameters: { secretId: ARN, resourcePolicy: policy },
        responseElements: { arn: ARN, name: 'artifact/db' },
      };

      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries((fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>)) {
        if (key === 'ALERT_TOPIC_ARN') env[key] = topicArn;
        else if (key === 'FINDINGS_BUS_NAME' || key === 'DELIVERY_TABLE_NAME')
          continue; // no bus, no ledger: this test is about the remediation
        else env[key] = String(value);
      }
      expect(env.REMEDIATE_PUBLIC_POLICY).toBe('true');
      expect(env.CONFIRM_WITH_ACCESS_ANALYZER).toBe('true');
      const run = await invokePackaged(
        { moduleFile, functionName: 'secretwatch-ci-policyMonitor' },
        envelopeOf(record),
        lambdaEnvironment(moto.endpoint, 'secretwatch-ci-policyMonitor', { ...env, LOG_LEVEL: 'SILENT' }),
      );
      expect(run.stderr).toBe('');
      expect(run.error).toBeNull();
      const result = run.result as { status: string; findings: { check: string; details: Record<string, unknown> }[] };
      expect(result.findings.map((f) => f.check)).toEqual(['secret-policy-public']);
      // Loaded and called: moto has no CheckNoPublicAccess, so the call fails as a call ("failed"),
      // not as a module that could not be loaded ("error": Cannot find module).
      expect(result.findings[0].details.accessAnalyzer).toMatchObject({ status: 'failed' });
      expect(JSON.stringify(result.findings[0].details.accessAnalyzer)).not.toMatch(/Cannot find module/);
      expect(result.findings[0].details.autoRemediation).toMatchObject({ status: 'applied', action: 'removed-statements', removedStatements: [{ index: 0, sid: 'Everyone' }] });
      expect(JSON.parse((await sm.send(new GetResourcePolicyCommand({ SecretId: ARN }))).ResourcePolicy as string)).toEqual({ Version: '2012-10-17', Statement: [owner] });
    } finally {
      sm.destroy();
      sns.destroy();
    }
  });
});
