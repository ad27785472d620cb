/**
 * Where findings go: the encrypted alert topic and its email subscriptions (from the alertEmails
 * deploy parameter), the findings bus (from findingsBusName), and the stack outputs.
 */
import { STAGE, VARIANTS, loadTemplate, referencedId, render, resource, resourcesOfType, type VariantName } from './packaging';

const template = loadTemplate();

describe('alert topic', () => {
  const topic = resource(template, 'AlertTopic');

  test('is one SNS topic (next to the ops topic of the alarms), both encrypted with a customer-managed key that rotates', () => {
    expect(resourcesOfType(template, 'AWS::SNS::Topic').map(([id]) => id)).toEqual(['AlertTopic', 'OpsTopic']);
    expect(resource(template, 'OpsTopic').Properties?.KmsMasterKeyId).toEqual(topic.Properties?.KmsMasterKeyId);
    expect(resource(template, 'OpsTopic').Properties?.TopicName).toBe(`secretwatch-${STAGE}-ops`);
    expect(topic.Type).toBe('AWS::SNS::Topic');
    const keyId = referencedId(topic.Properties?.KmsMasterKeyId) as string;
    expect(keyId).toBeDefined();
    const key = resource(template, keyId);
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.Properties?.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
  });

  test('its key policy lets the account administer the key and CloudWatch alarms use it, nobody else', () => {
    const key = resource(template, referencedId(topic.Properties?.KmsMasterKeyId) as string);
    const statements: any[] = key.Properties?.KeyPolicy.Statement;
    for (const s of statements) expect(s.Effect).toBe('Allow');
    const principals = statements.map((s) => (s.Principal.AWS ? render(s.Principal.AWS) : s.Principal.Service));
    expect(principals.sort()).toEqual(['arn:aws:iam::123456789012:root', 'cloudwatch.amazonaws.com']);
    const cloudwatch = statements.find((s) => s.Principal.Service === 'cloudwatch.amazonaws.com');
    expect([cloudwatch.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    // CloudWatch acts for every account: the key serves this account's alarms only.
    expect(Object.keys(cloudwatch.Condition)).toEqual(['StringEquals']);
    expect(render(cloudwatch.Condition.StringEquals['aws:SourceAccount'])).toBe('123456789012');
  });

  test('has a stable name and an alias for its key', () => {
    expect(topic.Properties?.TopicName).toBe(`secretwatch-${STAGE}-alerts`);
    const aliases = resourcesOfType(template, 'AWS::KMS::Alias');
    expect(aliases).toHaveLength(1);
    expect(aliases[0][1].Properties?.AliasName).toBe(`alias/secretwatch-${STAGE}-alerts`);
  });
});

describe.each([
  ['defaults', []],
  ['oneEmail', ['secops@example.com']],
  ['twoEmails', ['secops@example.com', 'On-Call+secrets@example.org']],
] as [VariantName, string[]][])('email subscriptions (%s)', (variant, addresses) => {
  const t = loadTemplate(variant);
  const subscriptions = resourcesOfType(t, 'AWS::SNS::Subscription').filter(([, s]) => referencedId(s.Properties?.TopicArn) === 'AlertTopic' && s.Properties?.Protocol === 'email');

  test(`one email subscription per address (${addresses.length})`, () => {
    expect(subscriptions.map(([, s]) => s.Properties?.Endpoint).sort()).toEqual([...addresses].sort());
    for (const [, s] of subscriptions) {
      expect(s.Properties?.Protocol).toBe('email');
      expect(referencedId(s.Properties?.TopicArn)).toBe('AlertTopic');
    }
  });
});

test('email subscription logical ids follow the address, not its position in the list', () => {
  const alertEmails = (variant: VariantName) =>
    resourcesOfType(loadTemplate(variant), 'AWS::SNS::Subscription').filter(([, s]) => referencedId(s.Properties?.TopicArn) === 'AlertTopic' && s.Properties?.Protocol === 'email');
  const one = alertEmails('oneEmail');
  const two = alertEmails('twoEmails');
  expect(one).toHaveLength(1);
  expect(two.find(([, s]) => s.Properties?.Endpoint === one[0][1].Properties?.Endpoint)?.[0]).toBe(one[0][0]);
});

describe.each([
  ['defaults', 'created'],
  ['oneEmail', 'default'],
  ['twoEmails', 'existing'],
] as [VariantName, string][])('findings bus (%s: %s)', (variant, mode) => {
  const t = loadTemplate(variant);
  const buses = resourcesOfType(t, 'AWS::Events::EventBus');
  const fn = resourcesOfType(t, 'AWS::Lambda::Function')[0][1];
  const envBus = fn.Properties?.Environment?.Variables?.FINDINGS_BUS_NAME;

  test('the stack creates a bus only when findingsBusName is empty, and the functions use the chosen one', () => {
    if (mode === 'created') {
      expect(buses.map(([id, b]) => [id, b.Properties?.Name])).toEqual([['FindingsBus', `secretwatch-findings-${STAGE}`]]);
      expect(referencedId(envBus, 'Name')).toBe('FindingsBus');
      expect(referencedId(t.Outputs?.FindingsBusName.Value, 'Name')).toBe('FindingsBus');
    } else {
      expect(buses).toEqual([]);
      const name = (VARIANTS[variant].params as Record<string, string>).findingsBusName;
      expect(envBus).toBe(name);
      expect(t.Outputs?.FindingsBusName.Value).toBe(name);
    }
  });
});

describe('outputs', () => {
  test('name the topic, the bus and the dead-letter queues', () => {
    const outputs = template.Outputs ?? {};
    expect(referencedId(outputs.AlertTopicArn?.Value)).toBe('AlertTopic');
    expect(outputs.FindingsBusName).toBeDefined();
    const queues = resourcesOfType(template, 'AWS::SQS::Queue')
      .map(([id]) => id)
      .sort();
    const queueOutputs = Object.values(outputs)
      .map((o) => referencedId(o.Value))
      .filter((id): id is string => Boolean(id && template.Resources[id]?.Type === 'AWS::SQS::Queue'))
      .sort();
    expect(queueOutputs).toEqual(queues);
  });
});
