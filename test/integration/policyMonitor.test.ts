/**
 * handlers/policyMonitor against moto_server, loaded as Lambda loads it, with remediatePublicPolicy
 * on: a public policy is put on a real (moto) secret, the handler gets the PutResourcePolicy event,
 * and the policy read back has lost exactly its public statement; a cross-account-only policy and a
 * stale event leave the policy untouched. moto 5.2 accepts BlockPublicPolicy but ignores it
 * (PutResourcePolicy stores any policy), so that the call sends it is asserted in the unit tests
 * (test/followups); here the outcome is what moto stores.
 */
import { CreateSecretCommand, GetResourcePolicyCommand, PutResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { handler as PolicyMonitorHandler } from '../../handlers/policyMonitor';
import { CONFIG_KEYS, envName } from '../../src/config/config';
import type { Finding } from '../../src/findings/finding';
import { envelopeOf, putResourcePolicyRecord, type CloudTrailRecord } from './cloudtrail';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages, setEnv } from './motoServer';

jest.setTimeout(30_000);

const OWNER_ROLE = { Sid: 'App', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:role/App` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const PARTNER = { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:role/Reader' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const EVERYONE = { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' };
const policyText = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

type Result = { status: string; findings: Finding[] };

describeWithMoto('policyMonitor handler against moto_server', (moto) => {
  let sm: SecretsManagerClient;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;
  let alertQueueUrl: string;
  let secretArn: string;

  beforeAll(() => {
    sm = new SecretsManagerClient(moto.clientConfig());
    sns = new SNSClient(moto.clientConfig());
    sqs = new SQSClient(moto.clientConfig());
  });

  afterAll(() => {
    for (const client of [sm, sns, sqs]) client?.destroy();
  });

  beforeEach(async () => {
    await moto.reset();
    ({ TopicArn: topicArn } = (await sns.send(new CreateTopicCommand({ Name: 'secretwatch-alerts' }))) as { TopicArn: string });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'alerts' }));
    alertQueueUrl = QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn }));
    ({ ARN: secretArn } = (await sm.send(new CreateSecretCommand({ Name: 'prod/db', SecretString: 'not-read-by-anyone' }))) as { ARN: string });
  });

  /** As a Lambda cold start: these settings only, clients from AWS_ENDPOINT_URL. */
  function loadHandler(settings: Record<string, string>): typeof PolicyMonitorHandler {
    moto.assertEnvironment();
    const cleared = Object.fromEntries(CONFIG_KEYS.map((key) => [envName(key), undefined]));
    const restore = setEnv({ ...cleared, LOG_LEVEL: 'SILENT', ALERT_TOPIC_ARN: topicArn, ...settings });
    try {
      let loaded: typeof PolicyMonitorHandler | undefined;
      jest.isolateModules(() => {
        loaded = (require('../../handlers/policyMonitor') as { handler: typeof PolicyMonitorHandler }).handler;
      });
      return loaded!;
    } finally {
      restore();
    }
  }

  /** Puts the policy on the moto secret and returns the CloudTrail record of that call (the Panther record's shape). */
  async function putPolicy(policy: string, eventID: string): Promise<CloudTrailRecord> {
    await sm.send(new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: policy }));
    return eventFor(policy, eventID);
  }

  function eventFor(policy: string, eventID: string): CloudTrailRecord {
    return putResourcePolicyRecord({ account: MOTO_ACCOUNT, region: MOTO_REGION, arn: secretArn }, policy, eventID);
  }

  async function storedPolicy(): Promise<string | undefined> {
    return (await sm.send(new GetResourcePolicyCommand({ SecretId: secretArn }))).ResourcePolicy;
  }

  it('a public statement is removed; the owner statement stays; the alert says what was done', async () => {
    const handler = loadHandler({ REMEDIATE_PUBLIC_POLICY: 'true' });
    const record = await putPolicy(policyText(OWNER_ROLE, EVERYONE, PARTNER), 'it-0001-public');

    const result = (await handler(envelopeOf(record))) as Result;

    expect(result.status).toBe('processed');
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ check: 'secret-policy-public', severity: 'CRITICAL', secret: { arn: secretArn } });
    expect(finding.details.autoRemediation).toEqual({
      status: 'applied',
      action: 'removed-statements',
      removedStatements: [{ index: 1, sid: 'Everyone' }],
      keptStatements: 2,
      blockPublicPolicy: true,
      reason: 'Removed the public statement(s) "Everyone" and put the other 2 back with BlockPublicPolicy.',
    });
    expect(JSON.parse((await storedPolicy()) as string)).toEqual({ Version: '2012-10-17', Statement: [OWNER_ROLE, PARTNER] });

    const [message] = await receiveMessages(sqs, alertQueueUrl, { expect: 1 });
    const published = JSON.parse(JSON.parse(message.Body as string).Message as string) as Finding;
    expect(published.details.autoRemediation).toMatchObject({ status: 'applied' });
    expect(published.remediation).toMatch(/^Remediated automatically: Removed the public statement\(s\) "Everyone"/);
  });

  it('a policy with nothing but public statements is deleted', async () => {
    const handler = loadHandler({ REMEDIATE_PUBLIC_POLICY: 'true' });
    const result = (await handler(envelopeOf(await putPolicy(policyText(EVERYONE), 'it-0002-all-public')))) as Result;
    expect(result.findings[0].details.autoRemediation).toMatchObject({ status: 'applied', action: 'deleted-policy' });
    expect(await storedPolicy()).toBeUndefined();
  });

  it('a cross-account-only policy is left untouched', async () => {
    const handler = loadHandler({ REMEDIATE_PUBLIC_POLICY: 'true' });
    const policy = policyText(OWNER_ROLE, PARTNER);
    const result = (await handler(envelopeOf(await putPolicy(policy, 'it-0003-cross-account')))) as Result;
    expect(result.findings.map((f) => f.check)).toEqual(['secret-policy-cross-account']);
    expect(result.findings[0].details.autoRemediation).toBeUndefined();
    expect(await storedPolicy()).toBe(policy);
  });

  it('a stale event (the policy was fixed since) changes nothing and says why', async () => {
    const handler = loadHandler({ REMEDIATE_PUBLIC_POLICY: 'true' });
    const fixed = policyText(OWNER_ROLE);
    await sm.send(new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: fixed }));
    const result = (await handler(envelopeOf(eventFor(policyText(EVERYONE), 'it-0004-stale')))) as Result;
    expect(result.findings[0].details.autoRemediation).toEqual({ status: 'not-needed', reason: 'The current policy is no longer public (it changed after this event); it was left as it is.' });
    expect(await storedPolicy()).toBe(fixed);
  });

  it('an event from another account naming its secret only by name leaves the local secret of that name alone', async () => {
    const handler = loadHandler({ REMEDIATE_PUBLIC_POLICY: 'true' });
    const local = policyText(EVERYONE);
    await sm.send(new PutResourcePolicyCommand({ SecretId: secretArn, ResourcePolicy: local }));
    const foreign: CloudTrailRecord = {
      ...eventFor(policyText(EVERYONE), 'it-0006-other-account'),
      recipientAccountId: '999988887777',
      requestParameters: { secretId: 'prod/db', resourcePolicy: policyText(EVERYONE) },
      responseElements: null,
    };
    const result = (await handler(envelopeOf(foreign))) as Result;
    expect(result.findings[0]).toMatchObject({ check: 'secret-policy-public', account: '999988887777' });
    expect(result.findings[0].details.autoRemediation).toMatchObject({ status: 'skipped', reason: expect.stringContaining(`the secret of that name this function reaches is ${secretArn}`) });
    expect(await storedPolicy()).toBe(local);
  });

  it('"*" beside the owner\'s role in one statement: the "*" goes, the role keeps its access', async () => {
    const handler = loadHandler({ REMEDIATE_PUBLIC_POLICY: 'true' });
    const mixed = { ...OWNER_ROLE, Sid: 'Mixed', Principal: { AWS: [OWNER_ROLE.Principal.AWS, '*'] } };
    const result = (await handler(envelopeOf(await putPolicy(policyText(mixed, PARTNER), 'it-0007-mixed')))) as Result;
    expect(result.findings[0].details.autoRemediation).toMatchObject({ status: 'applied', narrowedStatements: [{ index: 0, sid: 'Mixed', removedPrincipals: ['*'] }] });
    expect(JSON.parse((await storedPolicy()) as string)).toEqual({ Version: '2012-10-17', Statement: [{ ...mixed, Principal: { AWS: OWNER_ROLE.Principal.AWS } }, PARTNER] });
  });

  it('remediation off (the default): the public policy is reported and left as it is', async () => {
    const handler = loadHandler({});
    const policy = policyText(EVERYONE);
    const result = (await handler(envelopeOf(await putPolicy(policy, 'it-0005-off')))) as Result;
    expect(result.findings[0]).toMatchObject({ check: 'secret-policy-public' });
    expect(result.findings[0].details.autoRemediation).toBeUndefined();
    expect(await storedPolicy()).toBe(policy);
  });
});
