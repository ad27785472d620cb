/**
 * The EventBridge rules in the packaged template against the contract: the rules are built from the
 * events the checks of each monitor declare (src/monitors/rules.ts), rules/*.json holds the same
 * patterns, and every target retries and dead-letters into an encrypted queue that only those
 * rules can write to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitors } from '../../src/monitors';
import { eventRules } from '../../src/monitors/rules';
import { ruleFiles } from '../../scripts/ruleFiles';
import { REGION, ROOT, STAGE, VARIANTS, loadTemplate, referencedId, render, resource, resourcesOfType, type Resource, type Template, type VariantName } from './packaging';

const template = loadTemplate();

/** The monitors a stack in REGION has (a monitor's `regions`, if any, must include it). */
const deployed = monitors.filter((m) => !m.regions || m.regions.includes(REGION));
const ruleCases = eventRules(deployed);
const schedules = deployed.flatMap((m) => (m.schedule ? [{ name: m.schedule.rule, functionName: m.name }] : []));
/** Every rule the stack deploys: the monitors' event rules and the schedules. */
const allRules = [...ruleCases.map((rule) => ({ name: rule.name, functionName: rule.monitor })), ...schedules];

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
    const deployed = resourcesOfType(template, 'AWS::Events::Rule')
      .map(([, r]) => r.Properties?.Name as string)
      .sort();
    expect(deployed).toEqual(expected);
  });

  test('rules a stack already deployed keep their logical ids (a new id would replace the rule of the same name)', () => {
    const ids = (t: Template) => Object.fromEntries(resourcesOfType(t, 'AWS::Events::Rule').map(([id, r]) => [r.Properties?.Name.replace(`secretwatch-${STAGE}-`, ''), id]));
    expect(ids(template)).toMatchObject({
      'secret-deletion': `Secretwatch${STAGE}deletionMonitorrule1EventBridgeRule`,
      'secret-rotation': `Secretwatch${STAGE}rotationMonitorrule1EventBridgeRule`,
      'secret-policy-change': `Secretwatch${STAGE}policyMonitorrule1EventBridgeRule`,
      'secret-access-after-deletion': 'SecretAccessAfterDeletionRule',
      'inventory-scan': 'InventoryScanScheduleRule',
    });
    expect(resource(template, 'SecretAccessAfterDeletionRulePermission').Type).toBe('AWS::Lambda::Permission');
    expect(resource(template, 'InventoryScanScheduleRulePermission').Type).toBe('AWS::Lambda::Permission');
  });

  describe.each(ruleCases.map((rule) => [rule.name, rule.monitor, rule] as const))('rule %s -> %s', (name, functionName, rule) => {
    const [logicalId, ruleResource] = ruleByName(template, name);
    const props = ruleResource.Properties ?? {};

    test("carries exactly the pattern built from its checks' events, which its file under rules/ holds too", () => {
      expect(props.EventPattern).toEqual(rule.pattern);
      expect(props.Description).toBe(rule.description);
      const file = JSON.parse(readFileSync(join(ROOT, 'rules', `${name}.json`), 'utf8'));
      expect(file).toEqual(rule.pattern);
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

  test.each(Object.keys(VARIANTS) as VariantName[])("%s: any other invoke permission is the Slack notifier's, from the alert topic only", (variant) => {
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

describe('rules/*.json', () => {
  test("are exactly what `npm run docs` generates from the checks' events: one file per rule, no other", () => {
    const files = ruleFiles();
    expect(files.length).toBe(eventRules(monitors).length);
    const onDisk = readdirSync(join(ROOT, 'rules'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `rules/${f}`)
      .sort();
    expect(onDisk).toEqual(files.map((f) => f.path).sort());
    for (const file of files) expect({ path: file.path, text: readFileSync(join(ROOT, file.path), 'utf8') }).toEqual(file);
  });
});

describe.each(schedules.map((f) => [f.name, f.functionName] as const))('schedule %s -> %s', (name, functionName) => {
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
      expect(alarms[0][1].Properties).toMatchObject({
        Namespace: variant === 'defaults' ? 'SecretWatch' : 'Custom/SecretWatch',
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    }
  });

  test('the heartbeat alarm: its name, and two intervals of hourly periods (at most the 7 days CloudWatch looks back over)', () => {
    for (const [variant, hours] of [
      ['defaults', 48],
      ['oneEmail', 2],
      ['twoEmails', 168],
    ] as const) {
      expect(resource(loadTemplate(variant), 'ScanMissedAlarm').Properties).toMatchObject({
        AlarmName: `secretwatch-${STAGE}-scan-missed`,
        Statistic: 'Sum',
        Period: 3600,
        EvaluationPeriods: hours,
        DatapointsToAlarm: hours,
        Threshold: 1,
      });
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

  test('the queue alarms keep the logical ids and names that deployed stacks have, with the same thresholds', () => {
    for (const [id, name, queue] of [
      ['RuleDeadLetterAlarm', 'rule-dead-letters', 'rule-dlq'],
      ['MonitorFailureAlarm', 'monitor-failures', 'monitor-failures'],
    ]) {
      expect(resource(template, id).Properties).toMatchObject({
        AlarmName: `secretwatch-${STAGE}-${name}`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: `secretwatch-${STAGE}-${queue}` }],
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'OpsTopic' }],
      });
    }
  });

  test('every queue is encrypted, keeps 14 days and raises an alarm on the ops topic when it holds a message', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(2);
    for (const [id, q] of queues) {
      expect({ id, encrypted: isEncryptedQueue(q), retention: q.Properties?.MessageRetentionPeriod }).toEqual({ id, encrypted: true, retention: 1_209_600 });
      const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
        (a.Properties?.Dimensions ?? []).some((d: any) => d.Name === 'QueueName' && (referencedId(d.Value, 'QueueName') === id || d.Value === q.Properties?.QueueName)),
      );
      expect({ id, alarms: alarms.length }).toEqual({ id, alarms: 1 });
      const alarm = alarms[0][1].Properties ?? {};
      expect(alarm.MetricName).toBe('ApproximateNumberOfMessagesVisible');
      expect(alarm.AlarmActions.map((a: unknown) => referencedId(a))).toEqual(['OpsTopic']);
    }
  });
});
