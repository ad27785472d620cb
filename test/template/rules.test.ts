/**
 * The EventBridge rules in the packaged template against the contract: rules/*.json are the
 * patterns, src/monitors says which rule goes to which function, and every target retries and
 * dead-letters into an encrypted queue that only those rules can write to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventMonitors, scheduledFunctions } from '../../src/monitors';
import { ROOT, STAGE, VARIANTS, loadTemplate, referencedId, render, resource, resourcesOfType, type Resource, type Template, type VariantName } from './packaging';

const template = loadTemplate();

const ruleCases = eventMonitors.flatMap((monitor) => monitor.rules.map((rule) => ({ monitor, rule })));
/** Every rule the stack deploys: the monitors' event rules and the schedules. */
const allRules = [
  ...ruleCases.map(({ monitor, rule }) => ({ name: rule.name, functionName: monitor.functionName })),
  ...scheduledFunctions.map((f) => ({ name: f.ruleName, functionName: f.functionName })),
];

function ruleByName(t: Template, name: string): [string, Resource] {
  const found = resourcesOfType(t, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.Name === `secretwatch-${STAGE}-${name}`);
  if (found.length !== 1) throw new Error(`expected one AWS::Events::Rule named secretwatch-${STAGE}-${name}, found ${found.length}`);
  return found[0];
}

function functionLogicalId(t: Template, functionName: string): string {
  const found = resourcesOfType(t, 'AWS::Lambda::Function').filter(([, r]) => r.Properties?.FunctionName === `secretwatch-${STAGE}-${functionName}`);
  if (found.length !== 1) throw new Error(`expected one function named secretwatch-${STAGE}-${functionName}, found ${found.length}`);
  return found[0][0];
}

/** The rule's ARN as rendered by render(): GetAtt, or the ARN spelt out from its name. */
function ruleArnForms(logicalId: string, name: string): string[] {
  return [`<${logicalId}.Arn>`, `arn:aws:events:eu-west-1:123456789012:rule/secretwatch-${STAGE}-${name}`];
}

function isEncryptedQueue(r: Resource): boolean {
  return r.Type === 'AWS::SQS::Queue' && (r.Properties?.SqsManagedSseEnabled === true || Boolean(r.Properties?.KmsMasterKeyId));
}

describe('EventBridge rules', () => {
  test('the monitors define rules (else this suite proves nothing)', () => {
    expect(ruleCases.length).toBeGreaterThanOrEqual(2);
  });

  test('every rule in the template is one of the monitors', () => {
    const expected = allRules.map(({ name }) => `secretwatch-${STAGE}-${name}`).sort();
    const deployed = resourcesOfType(template, 'AWS::Events::Rule').map(([, r]) => r.Properties?.Name as string).sort();
    expect(deployed).toEqual(expected);
  });

  describe.each(ruleCases.map(({ monitor, rule }) => [rule.name, monitor.functionName, monitor, rule] as const))('rule %s -> %s', (name, functionName, _monitor, rule) => {
    const [logicalId, ruleResource] = ruleByName(template, name);
    const props = ruleResource.Properties ?? {};

    test('carries exactly the pattern of its file under rules/', () => {
      const file = JSON.parse(readFileSync(join(ROOT, 'rules', `${name}.json`), 'utf8'));
      expect(props.EventPattern).toEqual(file);
      expect(props.EventPattern).toEqual(rule.pattern);
    });

    test('is on the default bus, with the state its events need', () => {
      expect(props.EventBusName === undefined || props.EventBusName === 'default').toBe(true);
      expect(props.State).toBe(rule.allManagementEvents ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED');
    });

    test('targets its function only, with a retry policy and an encrypted dead-letter queue', () => {
      expect(props.Targets).toHaveLength(1);
      const [target] = props.Targets;
      expect(referencedId(target.Arn, 'Arn')).toBe(functionLogicalId(template, functionName));
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) });
      expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      const queueId = referencedId(target.DeadLetterConfig?.Arn, 'Arn');
      expect(queueId).toBeDefined();
      expect(isEncryptedQueue(resource(template, queueId as string))).toBe(true);
    });

    test('may invoke its function, and only from this rule', () => {
      const fnId = functionLogicalId(template, functionName);
      const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
        ([, r]) => r.Properties?.Principal === 'events.amazonaws.com' && ruleArnForms(logicalId, name).includes(render(r.Properties?.SourceArn)),
      );
      expect(permissions).toHaveLength(1);
      const [, permission] = permissions[0];
      expect(permission.Properties?.Action).toBe('lambda:InvokeFunction');
      expect(referencedId(permission.Properties?.FunctionName)).toBe(fnId);
    });
  });

  test('every events.amazonaws.com invoke permission is scoped to one of our rules', () => {
    const ruleArns = allRules.flatMap(({ name }) => ruleArnForms(ruleByName(template, name)[0], name));
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal === 'events.amazonaws.com');
    expect(permissions.length).toBeGreaterThan(0);
    for (const [, p] of permissions) expect(ruleArns).toContain(render(p.Properties?.SourceArn));
  });

  test.each(Object.keys(VARIANTS) as VariantName[])('%s: any other invoke permission is the Slack notifier\'s, from the alert topic only', (variant) => {
    const t = loadTemplate(variant);
    const others = resourcesOfType(t, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal !== 'events.amazonaws.com');
    for (const [, p] of others) {
      expect(p.Properties).toEqual({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['SlackNotifierLambdaFunction', 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: 'AlertTopic' },
      });
    }
    expect(others).toHaveLength(t.Resources.SlackNotifierLambdaFunction ? 1 : 0);
  });
});

describe.each(scheduledFunctions.map((f) => [f.ruleName, f.functionName] as const))('schedule %s -> %s', (name, functionName) => {
  const [logicalId, rule] = ruleByName(template, name);
  const props = rule.Properties ?? {};

  test('runs every scanIntervalHours (default 24), on the default bus, with no event pattern', () => {
    expect(props.ScheduleExpression).toBe('rate(24 hours)');
    expect(props.EventPattern).toBeUndefined();
    expect(props.EventBusName === undefined || props.EventBusName === 'default').toBe(true);
    expect(props.State).toBe('ENABLED');
  });

  test('follows the scanIntervalHours parameter, in the form EventBridge accepts', () => {
    expect(ruleByName(loadTemplate('oneEmail'), name)[1].Properties?.ScheduleExpression).toBe('rate(1 hour)');
    expect(ruleByName(loadTemplate('twoEmails'), name)[1].Properties?.ScheduleExpression).toBe('rate(168 hours)');
  });

  test('targets its function only, with a retry policy and an encrypted dead-letter queue', () => {
    expect(props.Targets).toHaveLength(1);
    const [target] = props.Targets;
    expect(referencedId(target.Arn, 'Arn')).toBe(functionLogicalId(template, functionName));
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(isEncryptedQueue(resource(template, referencedId(target.DeadLetterConfig?.Arn, 'Arn') as string))).toBe(true);
  });

  test('may invoke its function, and only from this rule', () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(([, r]) => ruleArnForms(logicalId, name).includes(render(r.Properties?.SourceArn)));
    expect(permissions).toHaveLength(1);
    expect(referencedId(permissions[0][1].Properties?.FunctionName, 'Arn')).toBe(functionLogicalId(template, functionName));
  });

  test('an alarm watches its heartbeat (ScanCompleted) in the metric namespace, whatever the interval', () => {
    for (const variant of ['defaults', 'twoEmails'] as const) {
      const alarms = resourcesOfType(loadTemplate(variant), 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties?.MetricName === 'ScanCompleted');
      expect(alarms).toHaveLength(1);
      expect(alarms[0][1].Properties).toMatchObject({ Namespace: variant === 'defaults' ? 'SecretWatch' : 'Custom/SecretWatch', ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching' });
    }
  });
});

describe('dead-letter queues', () => {
  const targets = allRules.map(({ name }) => {
    const [logicalId, r] = ruleByName(template, name);
    return { name, logicalId, queueId: referencedId(r.Properties?.Targets[0].DeadLetterConfig.Arn, 'Arn') as string };
  });
  const queueIds = [...new Set(targets.map((t) => t.queueId))];

  test.each(queueIds)('%s keeps messages 14 days, encrypted', (queueId) => {
    const q = resource(template, queueId);
    expect(isEncryptedQueue(q)).toBe(true);
    expect(q.Properties?.MessageRetentionPeriod).toBe(1_209_600);
  });

  test.each(queueIds)('%s accepts messages only from events.amazonaws.com for exactly the rules that use it', (queueId) => {
    const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy').filter(([, p]) => (p.Properties?.Queues ?? []).some((q: unknown) => referencedId(q) === queueId));
    expect(policies).toHaveLength(1);
    const statements: any[] = policies[0][1].Properties?.PolicyDocument.Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [allow] = allows;
    expect(allow.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect([allow.Action].flat()).toEqual(['sqs:SendMessage']);
    expect(referencedId(allow.Resource, 'Arn')).toBe(queueId);
    expect(Object.keys(allow.Condition)).toEqual(['ArnEquals']);
    const sourceArns = [allow.Condition.ArnEquals['aws:SourceArn']].flat().map(render).sort();
    const users = targets.filter((t) => t.queueId === queueId);
    expect(sourceArns).toHaveLength(users.length);
    for (const user of users) expect(sourceArns.filter((arn) => ruleArnForms(user.logicalId, user.name).includes(arn))).toHaveLength(1);
    // Anything else may only deny (e.g. requests without TLS).
    for (const s of statements.filter((x) => x !== allow)) expect(s.Effect).toBe('Deny');
  });

  test('every queue is encrypted, keeps 14 days and raises an alarm on the ops topic when it holds a message', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(2);
    for (const [id, q] of queues) {
      expect({ id, encrypted: isEncryptedQueue(q), retention: q.Properties?.MessageRetentionPeriod }).toEqual({ id, encrypted: true, retention: 1_209_600 });
      const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
        (a.Properties?.Dimensions ?? []).some((d: any) => d.Name === 'QueueName' && referencedId(d.Value, 'QueueName') === id),
      );
      expect({ id, alarms: alarms.length }).toEqual({ id, alarms: 1 });
      const alarm = alarms[0][1].Properties ?? {};
      expect(alarm.MetricName).toBe('ApproximateNumberOfMessagesVisible');
      expect(alarm.AlarmActions.map((a: unknown) => referencedId(a))).toEqual(['OpsTopic']);
    }
  });
});
