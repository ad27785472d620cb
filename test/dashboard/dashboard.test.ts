/**
 * src/dashboard over small hand-made templates: what it reads from a template, the alarms it
 * fills in, the dashboard it lays out. test/template/observability.test.ts checks the same code
 * on the packaged template.
 */
import { alarmResources, dashboardBody, dashboardBodyText, heartbeatWindow, latestFindingsQuery, observabilityResources, stackResources, StackShapeError, type Template } from '../../src/dashboard';

const STAGE = 'qa';
const REGION = 'eu-west-1';

function fn(name: string, env: Record<string, unknown> = { METRIC_NAMESPACE: 'SecretWatch' }) {
  const logicalId = `${name[0].toUpperCase()}${name.slice(1)}LambdaFunction`;
  return {
    [logicalId]: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: `secretwatch-${STAGE}-${name}`, Environment: { Variables: env } } },
    [`${name[0].toUpperCase()}${name.slice(1)}LogGroup`]: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/aws/lambda/secretwatch-${STAGE}-${name}` } },
  };
}

function template(extra: Template['Resources'] = {}): Template {
  return {
    Resources: {
      ...fn('deletionMonitor'),
      ...fn('inventoryScan', { METRIC_NAMESPACE: 'SecretWatch', SCAN_INTERVAL_HOURS: '24' }),
      RuleDeadLetterQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `secretwatch-${STAGE}-rule-dlq` } },
      DeletionRule: { Type: 'AWS::Events::Rule', Properties: { Name: `secretwatch-${STAGE}-secret-deletion` } },
      OpsTopic: { Type: 'AWS::SNS::Topic', Properties: {} },
      ...extra,
    },
  };
}

describe('stackResources', () => {
  test('reads functions, log groups, queues, rules, the namespace and the scan interval', () => {
    const stack = stackResources(template(), { stage: STAGE, region: REGION });
    expect(stack.functions.map((f) => [f.name, f.functionName, f.logGroup])).toEqual([
      ['deletionMonitor', 'secretwatch-qa-deletionMonitor', '/aws/lambda/secretwatch-qa-deletionMonitor'],
      ['inventoryScan', 'secretwatch-qa-inventoryScan', '/aws/lambda/secretwatch-qa-inventoryScan'],
    ]);
    expect(stack.queues).toEqual([{ logicalId: 'RuleDeadLetterQueue', queueName: 'secretwatch-qa-rule-dlq' }]);
    expect(stack.rules).toEqual([{ logicalId: 'DeletionRule', ruleName: 'secretwatch-qa-secret-deletion' }]);
    expect(stack.namespace).toBe('SecretWatch');
    expect(stack.scanIntervalHours).toBe(24);
  });

  test('no inventoryScan: no scan interval (no gauge widgets, no heartbeat alarm)', () => {
    const t = template();
    delete t.Resources.InventoryScanLambdaFunction;
    expect(stackResources(t, { stage: STAGE, region: REGION }).scanIntervalHours).toBeNull();
  });

  test.each([
    ['a queue named by an intrinsic', { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': 'x-${AWS::Region}' } } } }, /Q\.QueueName must be a literal name/],
    ['a rule without a name', { R: { Type: 'AWS::Events::Rule', Properties: {} } }, /R\.Name must be a literal name/],
    ['a function without its log group', { X: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'secretwatch-qa-x' } } }, /no log group \/aws\/lambda\/secretwatch-qa-x/],
    ['functions in different namespaces', fn('other', { METRIC_NAMESPACE: 'Other' }), /different metric namespaces/],
  ])('refuses %s, saying what is wrong', (_name, extra, message) => {
    expect(() => stackResources(template(extra as Template['Resources']), { stage: STAGE, region: REGION })).toThrow(StackShapeError);
    expect(() => stackResources(template(extra as Template['Resources']), { stage: STAGE, region: REGION })).toThrow(message);
  });
});

describe('alarms', () => {
  const stack = stackResources(template(), { stage: STAGE, region: REGION });
  const alarms = alarmResources(stack, 'OpsTopic');

  test('one per concern, each notifying the ops topic', () => {
    expect(Object.keys(alarms).sort()).toEqual(['CriticalFindingAlarm', 'DeletionMonitorErrorsAlarm', 'InvalidEventsAlarm', 'InventoryScanErrorsAlarm', 'RuleDeadLetterAlarm', 'ScanMissedAlarm']);
    for (const a of Object.values(alarms)) expect(a.Properties?.AlarmActions).toEqual([{ Ref: 'OpsTopic' }]);
  });

  test('the queue alarms that deployed stacks hold keep their logical ids and names; any other queue gets one after its own', () => {
    expect(alarms.RuleDeadLetterAlarm.Properties).toMatchObject({ AlarmName: 'secretwatch-qa-rule-dead-letters', Dimensions: [{ Name: 'QueueName', Value: 'secretwatch-qa-rule-dlq' }] });
    const more = alarmResources(
      stackResources(
        template({
          MonitorFailureQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `secretwatch-${STAGE}-monitor-failures` } },
          SlackFailureQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `secretwatch-${STAGE}-slack-failures` } },
        }),
        { stage: STAGE, region: REGION },
      ),
      'OpsTopic',
    );
    expect(more.MonitorFailureAlarm.Properties?.AlarmName).toBe('secretwatch-qa-monitor-failures');
    expect(more.SlackFailureQueueAlarm.Properties?.AlarmName).toBe('secretwatch-qa-slack-failures-not-empty');
  });

  test('the heartbeat: two intervals of silence, missing data breaching', () => {
    expect(alarms.ScanMissedAlarm.Properties).toMatchObject({
      MetricName: 'ScanCompleted',
      Namespace: 'SecretWatch',
      Period: 3600,
      EvaluationPeriods: 48,
      DatapointsToAlarm: 48,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('alarms the template already has are not made twice', () => {
    const existing = template({
      MyQueueAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['RuleDeadLetterQueue', 'QueueName'] } }] },
      },
      MyHeartbeat: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'ScanCompleted', Dimensions: [] } },
    });
    const filled = alarmResources(stackResources(existing, { stage: STAGE, region: REGION }), 'OpsTopic');
    expect(Object.keys(filled)).not.toContain('RuleDeadLetterAlarm');
    expect(Object.keys(filled)).not.toContain('ScanMissedAlarm');
    expect(Object.keys(filled)).toContain('DeletionMonitorErrorsAlarm');
  });

  test.each([
    [1, 3600, 2],
    [24, 3600, 48],
    [84, 3600, 168],
    [85, 3600, 168],
    [168, 3600, 168],
  ])("scanIntervalHours %i: period %i s x %i, within CloudWatch's 7-day evaluation range", (hours, period, periods) => {
    const w = heartbeatWindow(hours);
    expect(w).toEqual({ period, evaluationPeriods: periods });
    // Two intervals, or the longest range CloudWatch evaluates when two intervals are longer.
    expect(w.period * w.evaluationPeriods).toBe(Math.min(2 * hours * 3600, 7 * 86400));
  });
});

describe('dashboard body', () => {
  const stack = stackResources(template(), { stage: STAGE, region: REGION });
  const body = dashboardBody(stack, ['secretwatch-qa-critical-finding']);

  test('widgets stay on the 24-column grid without overlapping', () => {
    const cells = new Set<string>();
    for (const w of body.widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell)).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  test('has the widgets an operator needs: alarms, findings, invalid events, inventory, scans and function health', () => {
    const titles = body.widgets.map((w) => w.properties.title);
    expect(titles).toEqual([
      undefined,
      'Alarms (they notify the ops topic)',
      'Findings by severity',
      'Invalid events (not parsed, not retried)',
      'Inventory at the last scan (trend: 30 days)',
      'Scans completed (30 days)',
      'Latest findings by check and secret',
      'Function errors',
      'Function throttles',
      'Function duration (maximum, ms)',
      'Dead-letter queue depth',
      'EventBridge failed invocations',
    ]);
    const gauges = body.widgets.find((w) => w.properties.title === 'Inventory at the last scan (trend: 30 days)')?.properties;
    expect(gauges).toMatchObject({ view: 'singleValue', sparkline: true, start: '-P30D' });
  });

  test('the Logs Insights query reads every function log group and the finding lines', () => {
    const query = latestFindingsQuery(stack);
    expect(query.startsWith("SOURCE '/aws/lambda/secretwatch-qa-deletionMonitor' | SOURCE '/aws/lambda/secretwatch-qa-inventoryScan'\n| filter message = \"finding\"")).toBe(true);
    expect(query).toContain('by finding.check, secret');
  });

  test('the body is JSON for Fn::Sub: the account id and partition filled in by CloudFormation, any other "${" escaped', () => {
    const text = dashboardBodyText({ ...body, widgets: [...body.widgets, { type: 'text', x: 0, y: 99, width: 1, height: 1, properties: { markdown: 'cost ${5}' } }] });
    expect(typeof text).toBe('object');
    const sub = (text as { 'Fn::Sub': string })['Fn::Sub'];
    expect(sub).toContain('arn:${AWS::Partition}:cloudwatch:eu-west-1:${AWS::AccountId}:alarm:secretwatch-qa-critical-finding');
    expect(sub).toContain('cost ${!5}');
    const rendered = sub
      .replace(/\$\{AWS::AccountId\}/g, '111122223333')
      .replace(/\$\{AWS::Partition\}/g, 'aws')
      .replace(/\$\{!/g, '${');
    expect(JSON.parse(rendered).widgets.at(-1).properties.markdown).toBe('cost ${5}');
  });

  test('without alarms the body is plain JSON text', () => {
    expect(typeof dashboardBodyText(dashboardBody(stack, []))).toBe('string');
  });
});

describe('observabilityResources', () => {
  test('adds the alarms and a dashboard named after the stage', () => {
    const added = observabilityResources(template(), { stage: STAGE, region: REGION, opsTopicLogicalId: 'OpsTopic' });
    expect(added.Dashboard.Properties?.DashboardName).toBe('secretwatch-qa');
    expect(Object.values(added).filter((r) => r.Type === 'AWS::CloudWatch::Alarm')).toHaveLength(6);
  });

  test('refuses a template without the ops topic', () => {
    const t = template();
    delete t.Resources.OpsTopic;
    expect(() => observabilityResources(t, { stage: STAGE, region: REGION, opsTopicLogicalId: 'OpsTopic' })).toThrow('the ops topic OpsTopic is not in the template');
  });
});
