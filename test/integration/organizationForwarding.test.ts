/**
 * Organization mode end to end (docs/organization.md), against moto_server: two member
 * accounts forward their Secrets Manager events to the central bus, and the central monitors
 * attribute each finding to the member account it happened in.
 *
 * Both stacks are the packaged ones: `serverless package` runs twice, in copies of the service,
 * with `mode=member` and `mode=central`, and everything below is built from those templates.
 *
 * What is moto's:
 * - The central account is moto's default account (123456789012, us-east-1). Its bus is the
 *   template's CentralBus, with the CentralBusPolicy statement applied through PutPermission, and
 *   every event-pattern rule of the central template on it, with its EventPattern.
 * - The member accounts 222233334444 (us-east-1) and 333344445555 (eu-west-1: a member in another
 *   region than the central bus, as docs/organization.md deploys it) are reached with credentials
 *   from STS AssumeRole, for which moto returns credentials of the role's account. In each, the
 *   member template's ForwardingRole is created in IAM (trust and inline policy), and every rule of
 *   the member template on the default bus, with its EventPattern, State and its target exactly as
 *   the template has it: the central bus ARN, through the ForwardingRole.
 * - CloudTrail events are put on each member's default bus as EventBridge delivers them (Source
 *   aws.secretsmanager, DetailType from the record, Detail = the record), and moto's rule matching
 *   and cross-account, cross-region bus target carry them to the central bus and its rules.
 * - The packaged central functions (their zips, as Lambda runs them: lambdaProcess.ts) deliver to
 *   the alert topic and findings bus created in moto with the template's names; an SQS queue
 *   subscribed to each captures what they publish.
 *
 * What is stood in, and why:
 * - moto cannot run Lambda functions (no Docker here), so each central rule's Lambda target is an
 *   SQS queue in the central account, one per rule; the test then invokes the packaged function
 *   that the rule targets in the template (Targets[].Arn, Fn::GetAtt of the function) with each
 *   event its queue received, as Lambda would.
 * - The records are real ones from test/fixtures/cloudtrail, rewritten for each member (its
 *   account id in recipientAccountId, userIdentity.accountId and the ARNs; its region; a secret
 *   name of its own; an event id of its own): see memberRecord below, which names the record each
 *   one is derived from.
 *
 * Where moto differs from EventBridge (each noted where it matters below):
 * - moto does not evaluate resource policies: the central bus policy's aws:PrincipalOrgID condition
 *   is stored (and read back here) but not enforced, and neither is the ForwardingRole (moto ignores
 *   a target's RoleArn). That an account outside the organization is refused is AWS's to enforce
 *   and the template tests' to check (the statement's shape); it cannot be proved here.
 * - moto's bus-to-bus forwarding re-puts the event on the target bus, so the event the central
 *   rules see has the central bus's `account` and `region`, a new `id`, the forwarding time and no
 *   `resources`; EventBridge keeps the member's `account` and `region`. Moreover moto's SQS target
 *   leaves `account` out of the event altogether (its default input template has none). The project
 *   attributes a finding from the record (recipientAccountId, awsRegion), which arrives unchanged:
 *   the test asserts both, and hands the central functions the event exactly as moto delivered it,
 *   so it proves that attribution does not lean on the envelope.
 * - moto accepts any rule State and delivers whatever the state (it stores
 *   ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, which the member template's read rule uses, as
 *   given), so the state of the member rules is put as the template has it and read back, but has
 *   no effect here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { extractZip, loadTemplateFrom, referencedId, resourcesOfType, runPackage, serviceCopy, STAGE, type Resource, type Template } from '../template/packaging';
import { envelopeOf, sampleRecord, type CloudTrailRecord, type Envelope } from './cloudtrail';
import { invokePackaged, lambdaEnvironment } from './lambdaProcess';
import { createDeliveryTable } from './deliveryTable';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages } from './motoServer';

/** identityMonitor's rule: on the central bus whatever its region; on a member's bus in us-east-1 only. */
const IDENTITY_RULE = `secretwatch-${STAGE}-identity-policy-change`;

jest.setTimeout(60_000);

const CENTRAL_BUS_NAME = `secretwatch-central-${STAGE}`;
const CENTRAL_BUS_ARN = `arn:aws:events:${MOTO_REGION}:${MOTO_ACCOUNT}:event-bus/${CENTRAL_BUS_NAME}`;
const ORGANIZATION_ID = 'o-a1b2c3d4e5';

interface Member {
  account: string;
  region: string;
  secretName: string;
}
const MEMBER_A: Member = { account: '222233334444', region: 'us-east-1', secretName: 'member-a/orders-db' };
const MEMBER_B: Member = { account: '333344445555', region: 'eu-west-1', secretName: 'member-b/reports-api' };

/**
 * A real record as it would be in `member`: every ARN's account and region, recipientAccountId,
 * userIdentity.accountId, awsRegion, the secret's name (in its ARNs, secretId, responseElements.name
 * and the resource policy text) and the event id are the member's; everything else is the record's.
 */
function memberRecord(fixture: string, member: Member, eventID: string): CloudTrailRecord {
  const original = sampleRecord(fixture);
  const account = String(original.recipientAccountId);
  const region = String(original.awsRegion);
  const response = (original.responseElements ?? {}) as Record<string, unknown>;
  const request = (original.requestParameters ?? {}) as Record<string, unknown>;
  const name = String(response.name ?? /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(String(request.secretId))?.[1]);
  let text = JSON.stringify(original);
  // ARNs (also inside the resource policy, a JSON string in the record): account, region, secret name.
  text = text.split(`:${account}:`).join(`:${member.account}:`);
  text = text.split(`:${region}:`).join(`:${member.region}:`);
  text = text.split(`:secret:${name}-`).join(`:secret:${member.secretName}-`);
  text = text.split(`secretsmanager.${region}.amazonaws.com`).join(`secretsmanager.${member.region}.amazonaws.com`);
  const record = JSON.parse(text) as CloudTrailRecord;
  record.eventID = eventID;
  record.recipientAccountId = member.account;
  record.awsRegion = member.region;
  const identity = record.userIdentity as Record<string, unknown> | undefined;
  if (identity && 'accountId' in identity) identity.accountId = member.account;
  const rewrittenRequest = record.requestParameters as Record<string, unknown> | undefined;
  if (rewrittenRequest?.secretId === name) rewrittenRequest.secretId = member.secretName;
  const rewrittenResponse = record.responseElements as Record<string, unknown> | null | undefined;
  if (rewrittenResponse?.name === name) rewrittenResponse.name = member.secretName;
  // Nothing of the original account or secret name is left.
  const rewritten = JSON.stringify(record);
  const escapedName = name.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
  if (rewritten.includes(account) || new RegExp(`[":/]${escapedName}[-"]`).test(rewritten)) {
    throw new Error(`${fixture}: the original account ${account} or secret name ${name} is left in ${rewritten}`);
  }
  return record;
}

interface Sent {
  label: string;
  member: Member;
  record: CloudTrailRecord;
  /** Names of the central rules it must reach (the member rules forward it; the central ones match it): written by hand. */
  reaches: string[];
}

const SENT: Sent[] = [
  {
    label: 'member A: DeleteSecret, forced (derived from DeleteSecret/invictus-awsds-1)',
    member: MEMBER_A,
    record: memberRecord('DeleteSecret/invictus-awsds-1.json', MEMBER_A, '6e1f0a52-0000-4000-8000-00000000a001'),
    reaches: [`secretwatch-${STAGE}-secret-deletion`],
  },
  {
    label: 'member A: GetSecretValue, success (derived from GetSecretValue/invictus-awsds-3)',
    member: MEMBER_A,
    record: memberRecord('GetSecretValue/invictus-awsds-3.json', MEMBER_A, '6e1f0a52-0000-4000-8000-00000000a002'),
    reaches: [],
  },
  {
    label: 'member B: PutResourcePolicy, Principal "*" (derived from PutResourcePolicy/streamalert-1)',
    member: MEMBER_B,
    record: memberRecord('PutResourcePolicy/streamalert-1.json', MEMBER_B, '6e1f0a52-0000-4000-8000-00000000b001'),
    reaches: [`secretwatch-${STAGE}-secret-policy-change`],
  },
  {
    label: 'member B: GetSecretValue, success (derived from GetSecretValue/invictus-awsds-3)',
    member: MEMBER_B,
    record: memberRecord('GetSecretValue/invictus-awsds-3.json', MEMBER_B, '6e1f0a52-0000-4000-8000-00000000b002'),
    reaches: [],
  },
];

/**
 * A template value with its intrinsic functions resolved as CloudFormation would in this stack:
 * Ref and Fn::GetAtt ("Id.Attribute") from `names`, Fn::Sub over both. Anything unresolved throws.
 */
function resolve(value: unknown, names: Record<string, string>): unknown {
  const lookup = (key: string) => {
    if (names[key] === undefined) throw new Error(`unresolved reference ${key}`);
    return names[key];
  };
  if (Array.isArray(value)) return value.map((v) => resolve(v, names));
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return lookup(v.Ref);
  if (v['Fn::GetAtt'] !== undefined) {
    const [id, attribute] = Array.isArray(v['Fn::GetAtt']) ? (v['Fn::GetAtt'] as string[]) : String(v['Fn::GetAtt']).split('.');
    return lookup(`${id}.${attribute}`);
  }
  if (typeof v['Fn::Sub'] === 'string') return v['Fn::Sub'].replace(/\$\{([^}!]+)\}/g, (_, key: string) => lookup(key));
  if (Object.keys(v).some((k) => k.startsWith('Fn::'))) throw new Error(`unsupported intrinsic ${JSON.stringify(v)}`);
  return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, resolve(inner, names)]));
}

interface CentralRule {
  name: string;
  /** The function its (only) target is, by logical id. */
  functionId: string;
  queueUrl: string;
}

interface Finding {
  check: string;
  severity: string;
  account: string;
  region: string;
  secret: { arn: string | null; name: string | null };
  event: { id: string; name: string };
  remediation?: string;
}

describeWithMoto('organization mode: two member accounts forward to the central bus, findings name the member account', (moto) => {
  const work = mkdtempSync(join(tmpdir(), 'secretwatch-organization-'));
  let member: Template;
  let central: Template;
  let centralDir: string;
  const clients: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };

  let topicArn = '';
  let findingsBusName = '';
  let deliveryTableName = '';
  let alertQueueUrl = '';
  let findingsQueueUrl = '';
  const centralRules: CentralRule[] = [];
  /** account -> the ForwardingRole created there, and the member rules as moto describes them */
  const memberSetup = new Map<string, { roleArn: string; rules: { name: string; state: string; targets: Target[] }[] }>();
  /** central rule name -> the events its stand-in queue received */
  const delivered = new Map<string, Envelope[]>();
  let sqs: SQSClient;

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  }

  /** Client settings for `account` (credentials from AssumeRole, as centralScan.test.ts) in `region`. */
  async function configFor(account: string, region: string) {
    const sts = track(new STSClient(moto.clientConfig()));
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'secretwatch-member-setup' }));
    const c = out.Credentials!;
    return { ...moto.clientConfig(), region, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } };
  }

  /** The central account: its bus, the bus policy, its rules (each with a queue standing in for its function), the alert topic and the findings bus. */
  async function setUpCentral(): Promise<void> {
    const config = moto.clientConfig();
    const eventBridge = track(new EventBridgeClient(config));
    const sns = track(new SNSClient(config));

    const bus = central.Resources.CentralBus;
    expect(bus).toMatchObject({ Type: 'AWS::Events::EventBus', Properties: { Name: CENTRAL_BUS_NAME } });
    const { EventBusArn } = await eventBridge.send(new CreateEventBusCommand({ Name: bus.Properties!.Name, Description: bus.Properties!.Description }));
    // The ARN the member stacks were packaged with is the bus moto made.
    expect(EventBusArn).toBe(CENTRAL_BUS_ARN);
    const names: Record<string, string> = { CentralBus: CENTRAL_BUS_NAME, 'CentralBus.Name': CENTRAL_BUS_NAME, 'CentralBus.Arn': EventBusArn! };

    // moto stores the statement (read back below) but does not evaluate its condition.
    const policy = central.Resources.CentralBusPolicy;
    expect(resolve(policy.Properties!.EventBusName, names)).toBe(CENTRAL_BUS_NAME);
    const statement = { Sid: policy.Properties!.StatementId, ...(resolve(policy.Properties!.Statement, names) as Record<string, unknown>) };
    await eventBridge.send(new PutPermissionCommand({ EventBusName: CENTRAL_BUS_NAME, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }));
    const described = await eventBridge.send(new DescribeEventBusCommand({ Name: CENTRAL_BUS_NAME }));
    expect(JSON.parse(described.Policy!).Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: CENTRAL_BUS_ARN, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION_ID } } }),
    ]);

    const rules = resourcesOfType(central, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.EventPattern != null);
    for (const [id, rule] of rules) {
      const p = rule.Properties!;
      expect([id, resolve(p.EventBusName, names)]).toEqual([id, CENTRAL_BUS_NAME]);
      const targets = p.Targets as { Arn: unknown }[];
      expect(targets).toHaveLength(1);
      const functionId = referencedId(targets[0].Arn, 'Arn');
      expect(functionId && central.Resources[functionId]?.Type).toBe('AWS::Lambda::Function');
      await eventBridge.send(new PutRuleCommand({ Name: p.Name, EventBusName: CENTRAL_BUS_NAME, EventPattern: JSON.stringify(p.EventPattern), State: p.State, Description: p.Description }));
      const stand = await queue(`central-${p.Name}`);
      await eventBridge.send(new PutTargetsCommand({ Rule: p.Name, EventBusName: CENTRAL_BUS_NAME, Targets: [{ Id: 'function-stand-in', Arn: stand.arn }] }));
      centralRules.push({ name: p.Name, functionId: functionId!, queueUrl: stand.url });
    }

    // What the functions deliver to, named as the template names them.
    topicArn = (await sns.send(new CreateTopicCommand({ Name: central.Resources.AlertTopic.Properties!.TopicName }))).TopicArn!;
    const alerts = await queue('alert-subscriber');
    alertQueueUrl = alerts.url;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: alerts.arn }));
    findingsBusName = central.Resources.FindingsBus.Properties!.Name;
    deliveryTableName = central.Resources.DeliveryTable.Properties!.TableName;
    await createDeliveryTable(config, deliveryTableName);
    await eventBridge.send(new CreateEventBusCommand({ Name: findingsBusName }));
    await eventBridge.send(new PutRuleCommand({ Name: 'all-findings', EventBusName: findingsBusName, EventPattern: JSON.stringify({ source: ['secretwatch'] }) }));
    const onBus = await queue('findings-subscriber');
    findingsQueueUrl = onBus.url;
    await eventBridge.send(new PutTargetsCommand({ Rule: 'all-findings', EventBusName: findingsBusName, Targets: [{ Id: 'q', Arn: onBus.arn }] }));
  }

  /** One member account and region: the ForwardingRole, and every rule of the member template on the default bus. */
  async function setUpMember(m: Member): Promise<void> {
    const config = await configFor(m.account, m.region);
    const iam = track(new IAMClient(config));
    const eventBridge = track(new EventBridgeClient(config));
    const pseudo = { 'AWS::AccountId': m.account, 'AWS::Region': m.region, 'AWS::Partition': 'aws' };

    // CloudFormation names the role after the stack (no RoleName in the template).
    const role = member.Resources.ForwardingRole.Properties!;
    expect(role.RoleName).toBeUndefined();
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: `secretwatch-member-${STAGE}-ForwardingRole-A1B2C3D4`,
        Description: role.Description,
        AssumeRolePolicyDocument: JSON.stringify(resolve(role.AssumeRolePolicyDocument, pseudo)),
      }),
    );
    expect(Role!.Arn).toMatch(new RegExp(`^arn:aws:iam::${m.account}:role/`));
    for (const p of role.Policies as { PolicyName: string; PolicyDocument: unknown }[]) {
      await iam.send(new PutRolePolicyCommand({ RoleName: Role!.RoleName, PolicyName: p.PolicyName, PolicyDocument: JSON.stringify(resolve(p.PolicyDocument, pseudo)) }));
    }

    const names = { ...pseudo, 'ForwardingRole.Arn': Role!.Arn! };
    const rules: { name: string; state: string; targets: Target[] }[] = [];
    for (const [, rule] of resourcesOfType(member, 'AWS::Events::Rule')) {
      const p = rule.Properties!;
      // The default bus: a member rule names none.
      expect(p.EventBusName).toBeUndefined();
      await eventBridge.send(new PutRuleCommand({ Name: p.Name, EventPattern: JSON.stringify(p.EventPattern), State: p.State, Description: p.Description }));
      await eventBridge.send(new PutTargetsCommand({ Rule: p.Name, Targets: resolve(p.Targets, names) as Target[] }));
      const [state, targets] = await Promise.all([
        eventBridge.send(new DescribeRuleCommand({ Name: p.Name })).then((d) => d.State!),
        eventBridge.send(new ListTargetsByRuleCommand({ Rule: p.Name })).then((t) => t.Targets ?? []),
      ]);
      rules.push({ name: p.Name, state, targets });
    }
    memberSetup.set(m.account, { roleArn: Role!.Arn!, rules });
  }

  /** The records on each member's default bus, as EventBridge delivers CloudTrail events there. */
  async function putMemberEvents(m: Member): Promise<void> {
    const eventBridge = track(new EventBridgeClient(await configFor(m.account, m.region)));
    const entries = SENT.filter((s) => s.member === m).map(({ record }) => {
      const envelope = envelopeOf(record);
      return { Source: envelope.source, DetailType: envelope['detail-type'], Detail: JSON.stringify(envelope.detail), Time: new Date(envelope.time), Resources: envelope.resources };
    });
    const out = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
    expect(out.FailedEntryCount ?? 0).toBe(0);
  }

  beforeAll(async () => {
    // Packaged in copies of the service: other tests package the repository itself meanwhile.
    const memberDir = join(work, 'member-package');
    const packagedMember = runPackage({ mode: 'member', centralBusArn: CENTRAL_BUS_ARN }, memberDir, serviceCopy(join(work, 'member-service')));
    if (packagedMember.status !== 0) throw new Error(`serverless package (mode member) failed:\n${packagedMember.output}`);
    centralDir = join(work, 'central-package');
    const packagedCentral = runPackage({ mode: 'central', organizationId: ORGANIZATION_ID }, centralDir, serviceCopy(join(work, 'central-service')));
    if (packagedCentral.status !== 0) throw new Error(`serverless package (mode central) failed:\n${packagedCentral.output}`);
    member = loadTemplateFrom(memberDir);
    central = loadTemplateFrom(centralDir);

    await moto.reset();
    sqs = track(new SQSClient(moto.clientConfig()));
    await setUpCentral();
    for (const m of [MEMBER_A, MEMBER_B]) await setUpMember(m);
    for (const m of [MEMBER_A, MEMBER_B]) await putMemberEvents(m);

    // moto delivers during PutEvents; the settle pass catches anything extra (the negative assertions).
    await Promise.all(
      centralRules.map(async (rule) => {
        const expected = SENT.filter((s) => s.reaches.includes(rule.name)).length;
        const messages = await receiveMessages(sqs, rule.queueUrl, { expect: expected, settleSeconds: 1 });
        delivered.set(
          rule.name,
          messages.map((message) => JSON.parse(message.Body!) as Envelope),
        );
      }),
    );
  }, 240_000);

  afterAll(() => {
    for (const client of clients) client.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  test('the member template forwards only: rules, the forwarding role and the scan role, no function', () => {
    expect(resourcesOfType(member, 'AWS::Lambda::Function')).toEqual([]);
    const types = new Set(Object.values(member.Resources).map((r: Resource) => r.Type));
    // The S3 bucket is the Framework's deployment bucket (docs/organization.md drops it for StackSets).
    expect([...types].sort()).toEqual(['AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    expect(
      resourcesOfType(member, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['ForwardingRole', 'MemberScanRole']);
    // The same rules as the central stack's, by name and pattern: a member forwards exactly what the monitors watch,
    // except IAM's, which only a us-east-1 member stack forwards (this one is in eu-west-1).
    const patterns = (t: Template) =>
      Object.fromEntries(
        resourcesOfType(t, 'AWS::Events::Rule')
          .filter(([, r]) => r.Properties?.EventPattern != null && r.Properties.Name !== IDENTITY_RULE)
          .map(([, r]) => [r.Properties!.Name, r.Properties!.EventPattern]),
      );
    expect(patterns(member)).toEqual(patterns(central));
    expect(resourcesOfType(member, 'AWS::Events::Rule').map(([, r]) => r.Properties!.Name)).not.toContain(IDENTITY_RULE);
    expect(resourcesOfType(central, 'AWS::Events::Rule').map(([, r]) => r.Properties!.Name)).toContain(IDENTITY_RULE);
  });

  test("each member has the template's rules on its default bus, targeting the central bus through its own ForwardingRole", () => {
    const ruleNames = resourcesOfType(member, 'AWS::Events::Rule').map(([, r]) => r.Properties!.Name as string);
    expect(ruleNames.length).toBeGreaterThanOrEqual(4);
    for (const m of [MEMBER_A, MEMBER_B]) {
      const setup = memberSetup.get(m.account)!;
      expect(setup.rules.map((r) => r.name)).toEqual(ruleNames);
      for (const rule of setup.rules) {
        expect(rule.targets).toEqual([{ Id: 'central-bus', Arn: CENTRAL_BUS_ARN, RoleArn: setup.roleArn }]);
        // As the template has it: moto keeps the state (and ignores it when delivering).
        const templateState = resourcesOfType(member, 'AWS::Events::Rule').find(([, r]) => r.Properties!.Name === rule.name)![1].Properties!.State;
        expect(rule.state).toBe(templateState);
      }
    }
    expect(resourcesOfType(member, 'AWS::Events::Rule').map(([, r]) => r.Properties!.State)).toContain('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
  });

  test('each forwarded event reaches exactly the central rules that watch it; the reads are not forwarded', () => {
    expect(centralRules.map((r) => r.name).sort()).toEqual(
      [
        ...resourcesOfType(member, 'AWS::Events::Rule').map(([, r]) => r.Properties!.Name as string),
        // Fed by the us-east-1 member stacks; nothing this member forwards reaches it.
        IDENTITY_RULE,
      ].sort(),
    );
    for (const rule of centralRules) {
      const labels = delivered.get(rule.name)!.map((event) => SENT.find((s) => s.record.eventID === event.detail.eventID)?.label ?? `unknown ${event.detail.eventID}`);
      expect([rule.name, labels.sort()]).toEqual([
        rule.name,
        SENT.filter((s) => s.reaches.includes(rule.name))
          .map((s) => s.label)
          .sort(),
      ]);
    }
    for (const events of delivered.values()) {
      for (const event of events) {
        const sent = SENT.find((s) => s.record.eventID === event.detail.eventID)!;
        // The record crosses both buses unchanged...
        expect(event.detail).toEqual(sent.record);
        expect(event).toMatchObject({ source: 'aws.secretsmanager', 'detail-type': 'AWS API Call via CloudTrail' });
        // ...while the envelope does not carry the member's account (moto re-puts the event in the central account and region,
        // and its SQS delivery leaves `account` out) nor, for member B, its region: EventBridge would keep both.
        expect(event.account ?? null).not.toBe(sent.member.account);
        expect(event.region).toBe(MOTO_REGION);
      }
    }
  });

  test('the central functions the rules target attribute each finding to the member account and region it happened in', async () => {
    moto.assertEnvironment();
    const functionDirs = new Map<string, string>();
    /** The packaged function behind a logical id: its zip (the template's Code.S3Key) unpacked, its handler, its resolved environment. */
    const packaged = (functionId: string) => {
      const fn = central.Resources[functionId].Properties!;
      const zipName = basename(String(fn.Code.S3Key));
      let root = functionDirs.get(functionId);
      if (!root) {
        root = join(work, 'functions', functionId);
        extractZip(join(centralDir, zipName), root);
        functionDirs.set(functionId, root);
      }
      const handler = String(fn.Handler);
      const environment = resolve(fn.Environment.Variables, { AlertTopic: topicArn, FindingsBus: findingsBusName, 'FindingsBus.Name': findingsBusName, DeliveryTable: deliveryTableName }) as Record<
        string,
        string
      >;
      return {
        moduleFile: join(root, `${handler.slice(0, handler.lastIndexOf('.'))}.js`),
        exportName: handler.slice(handler.lastIndexOf('.') + 1),
        functionName: String(fn.FunctionName),
        environment,
      };
    };

    const results: { label: string; findings: Finding[] }[] = [];
    for (const rule of centralRules) {
      for (const event of delivered.get(rule.name)!) {
        const fn = packaged(rule.functionId);
        const run = await invokePackaged(fn, event, lambdaEnvironment(moto.endpoint, fn.functionName, fn.environment));
        expect([fn.functionName, run.error]).toEqual([fn.functionName, null]);
        expect(run.result).toMatchObject({ status: 'processed' });
        results.push({ label: SENT.find((s) => s.record.eventID === event.detail.eventID)!.label, findings: (run.result as { findings: Finding[] }).findings });
      }
    }
    // deletionMonitor for member A's deletion, policyMonitor for member B's policy.
    expect(centralRules.find((r) => r.name === `secretwatch-${STAGE}-secret-deletion`)!.functionId).toBe('DeletionMonitorLambdaFunction');
    expect(centralRules.find((r) => r.name === `secretwatch-${STAGE}-secret-policy-change`)!.functionId).toBe('PolicyMonitorLambdaFunction');
    expect(results.map((r) => [r.label, r.findings.map((f) => f.check)])).toEqual([
      [SENT[0].label, ['secret-force-deleted']],
      [SENT[2].label, ['secret-policy-public']],
    ]);

    /** The finding of `member`'s event `sent`: attributed to that member's account and region, from the record. */
    const expectedFinding = (check: string, member: Member, sent: (typeof SENT)[number], eventName: string) => ({
      check,
      account: member.account,
      region: member.region,
      secret: expect.objectContaining({ name: member.secretName, arn: expect.stringMatching(new RegExp(`^arn:aws:secretsmanager:${member.region}:${member.account}:secret:${member.secretName}-`)) }),
      event: expect.objectContaining({ id: sent.record.eventID, name: eventName }),
      remediation: expect.stringContaining(`--region ${member.region}`),
    });
    const expectedDeletion = expectedFinding('secret-force-deleted', MEMBER_A, SENT[0], 'DeleteSecret');
    const expectedPolicy = expectedFinding('secret-policy-public', MEMBER_B, SENT[2], 'PutResourcePolicy');

    // What the alert topic's subscribers get, and nothing else.
    const alerts = await receiveMessages(sqs, alertQueueUrl, { expect: 2, settleSeconds: 1 });
    const alerted = alerts.map((m) => JSON.parse((JSON.parse(m.Body!) as { Message: string }).Message) as Finding).sort((a, b) => a.check.localeCompare(b.check));
    // The alert topic is the central account's: each member's finding names its account first in the subject.
    const subjects = alerts.map((m) => (JSON.parse(m.Body!) as { Subject: string }).Subject).sort();
    expect(subjects).toEqual([expect.stringMatching(/^\[CRITICAL\] 222233334444: Secret member-a\/orders-db /), expect.stringMatching(/^\[CRITICAL\] 333344445555: Secret member-b\/reports-api /)]);
    expect(alerted).toEqual([expect.objectContaining(expectedDeletion), expect.objectContaining(expectedPolicy)]);

    // And the findings bus.
    const onBus = await receiveMessages(sqs, findingsQueueUrl, { expect: 2, settleSeconds: 1 });
    const busFindings = onBus.map((m) => JSON.parse(m.Body!) as { source: string; detail: Finding }).sort((a, b) => a.detail.check.localeCompare(b.detail.check));
    expect(busFindings.map((e) => e.source)).toEqual(['secretwatch', 'secretwatch']);
    expect(busFindings.map((e) => e.detail)).toEqual([expect.objectContaining(expectedDeletion), expect.objectContaining(expectedPolicy)]);
  });
});
