/**
 * Security Hub against moto_server (BatchImportFindings, GetFindings): the policyMonitor and
 * inventoryScan handler modules, loaded as Lambda loads them with SECURITY_HUB=true, import their
 * findings into the account's default product, and close them when the state is fixed: a public
 * policy made private, an overdue secret given a new value. The closed finding is announced on the
 * findings bus. moto stores what is imported as given and ignores GetFindings' filters, which the
 * code checks again on every record it reads back.
 */
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { handler as InventoryScanHandler } from '../../handlers/inventoryScan';
import type { handler as PolicyMonitorHandler } from '../../handlers/policyMonitor';
import { CONFIG_KEYS, envName } from '../../src/config/config';
import type { ResolvedFinding } from '../../src/findings/resolution';
import { envelopeOf, putResourcePolicyRecord, type CloudTrailRecord } from './cloudtrail';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages, setEnv, type Moto } from './motoServer';
import { seededLaunch } from './seededMoto';

jest.setTimeout(60_000);

const PRODUCT = `arn:aws:securityhub:${MOTO_REGION}:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`;
const BUS = 'secretwatch-findings-it';
const DAY = 86_400;
const NOW_S = Math.floor(Date.now() / 1000);

interface Fixture {
  hub: SecurityHubClient;
  sqs: SQSClient;
  topicArn: string;
  resolvedQueueUrl: string;
}

/** Security Hub on, an alert topic, and a findings bus whose "resolved" events land in a queue. */
async function setUp(moto: Moto): Promise<Fixture> {
  const hub = new SecurityHubClient(moto.clientConfig());
  const sqs = new SQSClient(moto.clientConfig());
  const sns = new SNSClient(moto.clientConfig());
  const eventBridge = new EventBridgeClient(moto.clientConfig());
  try {
    await hub.send(new EnableSecurityHubCommand({}));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'secretwatch-alerts' }));
    await eventBridge.send(new CreateEventBusCommand({ Name: BUS }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'resolved' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const queueArn = Attributes?.QueueArn as string;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: {
          Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn }] }),
        },
      }),
    );
    await eventBridge.send(
      new PutRuleCommand({ Name: 'resolved', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['secretwatch'], 'detail-type': ['Secrets Manager Compliance Finding Resolved'] }) }),
    );
    await eventBridge.send(new PutTargetsCommand({ Rule: 'resolved', EventBusName: BUS, Targets: [{ Id: 'queue', Arn: queueArn }] }));
    return { hub, sqs, topicArn: TopicArn as string, resolvedQueueUrl: QueueUrl as string };
  } finally {
    sns.destroy();
    eventBridge.destroy();
  }
}

/** A handler module as a Lambda cold start loads it: these settings only, clients from AWS_ENDPOINT_URL. */
function loadHandler<T>(moto: Moto, module: string, settings: Record<string, string>): T {
  moto.assertEnvironment();
  const cleared = Object.fromEntries(CONFIG_KEYS.map((key) => [envName(key), undefined]));
  const restore = setEnv({ ...cleared, LOG_LEVEL: 'SILENT', ...settings });
  try {
    let loaded: T | undefined;
    jest.isolateModules(() => {
      loaded = (require(module) as { handler: T }).handler;
    });
    return loaded as T;
  } finally {
    restore();
  }
}

async function allFindings(hub: SecurityHubClient): Promise<AwsSecurityFinding[]> {
  return (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
}

async function resolvedEvents(fixture: Fixture, expect: number): Promise<ResolvedFinding[]> {
  const messages = await receiveMessages(fixture.sqs, fixture.resolvedQueueUrl, { expect });
  return messages.map((m) => (JSON.parse(m.Body as string) as { detail: ResolvedFinding }).detail);
}

const hubSettings = (topicArn: string) => ({ ALERT_TOPIC_ARN: topicArn, FINDINGS_BUS_NAME: BUS, SECURITY_HUB: 'true', SECURITY_HUB_PRODUCT_ARN: PRODUCT });

describeWithMoto('policyMonitor with Security Hub against moto_server', (moto) => {
  let fixture: Fixture;
  const secretArn = `arn:aws:secretsmanager:${MOTO_REGION}:${MOTO_ACCOUNT}:secret:prod/db-AbCdEf`;

  beforeAll(async () => {
    fixture = await setUp(moto);
  });
  afterAll(() => {
    fixture?.hub.destroy();
    fixture?.sqs.destroy();
  });

  function putPolicyEvent(statement: Record<string, unknown>, eventID: string, secretId: string): CloudTrailRecord {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', ...statement }] });
    return putResourcePolicyRecord({ account: MOTO_ACCOUNT, region: MOTO_REGION, arn: secretArn, secretId }, policy, eventID);
  }

  it('a public policy imports a CRITICAL finding; a later private policy leaves the same Id PASSED, ARCHIVED and RESOLVED, announced on the bus', async () => {
    const handler = loadHandler<typeof PolicyMonitorHandler>(moto, '../../handlers/policyMonitor', hubSettings(fixture.topicArn));

    const policyFindings = async () => (await allFindings(fixture.hub)).filter((f) => f.GeneratorId === 'secret-policy-public');
    await handler(envelopeOf(putPolicyEvent({ Principal: '*' }, 'it-sh-public', secretArn)));
    const [opened, ...others] = await policyFindings();
    expect(others).toEqual([]);
    expect(opened).toMatchObject({
      ProductArn: PRODUCT,
      GeneratorId: 'secret-policy-public',
      AwsAccountId: MOTO_ACCOUNT,
      Severity: { Label: 'CRITICAL' },
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Resources: [{ Type: 'AwsSecretsManagerSecret', Id: secretArn, Details: { AwsSecretsManagerSecret: { Name: 'prod/db' } } }],
    });

    // The same public policy again (a retry, or a second change): the same record, updated.
    await handler(envelopeOf(putPolicyEvent({ Principal: '*' }, 'it-sh-public-again', secretArn)));
    expect((await policyFindings()).map((f) => f.Id)).toEqual([opened.Id]);

    // Made private, the secret named by its name this time.
    await handler(envelopeOf(putPolicyEvent({ Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:role/App` } }, 'it-sh-private', 'prod/db')));
    const [closed, ...more] = await policyFindings();
    expect(more).toEqual([]);
    // The private policy is itself a finding (secret-policy-changed, LOW), imported open.
    expect((await allFindings(fixture.hub)).filter((f) => f.GeneratorId === 'secret-policy-changed').map((f) => f.RecordState)).toEqual(['ACTIVE']);
    expect(closed).toMatchObject({ Id: opened.Id, Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' }, Severity: { Label: 'CRITICAL' } });
    expect(closed.ProductFields?.['secretwatch/resolvedBy']).toBe('a new resource policy opens the secret to no other account');

    const [announced] = await resolvedEvents(fixture, 1);
    expect(announced).toMatchObject({
      type: 'secretwatch-finding-resolved',
      id: opened.Id,
      check: 'secret-policy-public',
      severity: 'CRITICAL',
      event: { id: 'it-sh-private', name: 'PutResourcePolicy' },
    });

    // Nothing open any more: the next private policy closes nothing and announces nothing.
    await handler(envelopeOf(putPolicyEvent({ Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:role/App` } }, 'it-sh-private-again', 'prod/db')));
    expect(await resolvedEvents(fixture, 0)).toEqual([]);
  });

  it('SECURITY_HUB=true without the product ARN fails the cold start, naming the setting', () => {
    expect(() => loadHandler(moto, '../../handlers/policyMonitor', { ...hubSettings(fixture.topicArn), SECURITY_HUB_PRODUCT_ARN: '' })).toThrow(
      'invalid setting SECURITY_HUB_PRODUCT_ARN: required with SECURITY_HUB=true',
    );
  });
});

describeWithMoto(
  'inventoryScan with Security Hub against moto_server',
  (moto) => {
    let fixture: Fixture;
    let sm: SecretsManagerClient;

    beforeAll(async () => {
      fixture = await setUp(moto);
      sm = new SecretsManagerClient(moto.clientConfig());
    });
    afterAll(() => {
      fixture?.hub.destroy();
      fixture?.sqs.destroy();
      sm?.destroy();
    });

    it('a scan imports an overdue secret; after it is given a new value, the next scan closes that finding and keeps the others open', async () => {
      const handler = loadHandler<typeof InventoryScanHandler>(moto, '../../handlers/inventoryScan', hubSettings(fixture.topicArn));

      const first = await handler({});
      expect(first).toMatchObject({ status: 'completed', secrets: 2 });
      const opened = await allFindings(fixture.hub);
      const overdue = opened.filter((f) => f.GeneratorId === 'rotation-overdue');
      expect(overdue.map((f) => f.Resources?.[0].Details?.AwsSecretsManagerSecret?.Name).sort()).toEqual(['prod/old', 'prod/stays-old']);
      expect(opened.every((f) => f.Compliance?.Status === 'FAILED' && f.RecordState === 'ACTIVE')).toBe(true);

      // A manual rotation: a new AWSCURRENT value.
      await sm.send(new PutSecretValueCommand({ SecretId: 'prod/old', SecretString: 'rotated' }));
      // The scan judges at its scheduled minute: the next one, so that the new value is in its past.
      const second = await handler({ time: new Date(Date.now() + 120_000).toISOString() });
      expect(second).toMatchObject({ status: 'completed', secrets: 2 });

      const after = await allFindings(fixture.hub);
      expect(after).toHaveLength(opened.length);
      const closed = after.filter((f) => f.RecordState === 'ARCHIVED');
      expect(closed.map((f) => [f.GeneratorId, f.Resources?.[0].Details?.AwsSecretsManagerSecret?.Name, f.Compliance?.Status, f.Workflow?.Status])).toEqual([
        ['rotation-overdue', 'prod/old', 'PASSED', 'RESOLVED'],
      ]);
      // Still overdue, and still without rotation: open.
      expect(after.filter((f) => f.RecordState === 'ACTIVE').map((f) => `${f.GeneratorId} ${f.Resources?.[0].Details?.AwsSecretsManagerSecret?.Name}`)).toEqual(
        expect.arrayContaining(['rotation-overdue prod/stays-old', 'rotation-not-enabled prod/old', 'rotation-not-enabled prod/stays-old']),
      );
      const [announced] = await resolvedEvents(fixture, 1);
      expect(announced).toMatchObject({ check: 'rotation-overdue', reason: 'the inventory scan no longer finds it', event: null, resource: { name: 'prod/old' } });
    });
  },
  seededLaunch({
    account: MOTO_ACCOUNT,
    region: MOTO_REGION,
    secrets: [
      { name: 'prod/old', created: NOW_S - 200 * DAY, lastAccessed: NOW_S - DAY },
      { name: 'prod/stays-old', created: NOW_S - 150 * DAY, lastAccessed: NOW_S - DAY },
    ],
  }),
);
