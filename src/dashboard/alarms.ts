import { SCAN_COMPLETED } from '../delivery/scanMetrics';
import { FINDINGS_METRIC, INVALID_EVENTS_METRIC, SEVERITY_DIMENSION, SLACK_REJECTED_METRIC } from '../delivery/metrics';
import type { StackAlarm, StackResources, TemplateResource } from './stack';

/**
 * The operational alarms, sent to the ops topic: a CRITICAL finding; any function error; any
 * message in a dead-letter queue; the scan heartbeat missing for two intervals; invalid events.
 * Built over the compiled template, so every function and queue is covered whoever added it; an
 * alarm the template already has for the same metric is not made twice.
 */

const QUEUE_DEPTH_METRIC = 'ApproximateNumberOfMessagesVisible';
/** CloudWatch evaluates an alarm over at most 7 days (periods of an hour or more). */
const MAX_EVALUATION_HOURS = 7 * 24;

/**
 * Queue alarms that stacks already deployed hold under these logical ids and names: they keep them,
 * so that an update leaves them in place (under a new logical id, an alarm of the same name would
 * be written again, then deleted with the old resource).
 */
const DEPLOYED_QUEUE_ALARMS: Readonly<Record<string, { logicalId: string; suffix: string; description: string }>> = {
  RuleDeadLetterQueue: {
    logicalId: 'RuleDeadLetterAlarm',
    suffix: 'rule-dead-letters',
    description: 'EventBridge could not deliver Secrets Manager events to a SecretWatch function; see docs/deploy.md',
  },
  MonitorFailureQueue: {
    logicalId: 'MonitorFailureAlarm',
    suffix: 'monitor-failures',
    description: 'A SecretWatch function failed an event after its retries; see docs/deploy.md',
  },
};

export interface Heartbeat {
  period: number;
  evaluationPeriods: number;
}

/**
 * Two scan intervals without ScanCompleted, in hourly periods (one failed scan that the next one
 * makes up for is not worth waking anyone). When two intervals are longer than the 7 days
 * CloudWatch evaluates an alarm over (scanIntervalHours above 84), the 168 hourly periods of those
 * 7 days: the alarm then fires after 7 days without a completed scan.
 */
export function heartbeatWindow(scanIntervalHours: number): Heartbeat {
  return { period: 3600, evaluationPeriods: Math.min(2 * scanIntervalHours, MAX_EVALUATION_HOURS) };
}

function refers(value: unknown, logicalId: string, name: string): boolean {
  if (value === name) return true;
  if (!value || typeof value !== 'object') return false;
  const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
  return (Array.isArray(getAtt) && getAtt[0] === logicalId) || (typeof getAtt === 'string' && getAtt.split('.')[0] === logicalId);
}

function watches(alarm: StackAlarm, metricName: string, dimension?: { name: string; logicalId: string; value: string }): boolean {
  if (alarm.metricName !== metricName) return false;
  if (!dimension) return true;
  return alarm.dimensions.some((d) => d.Name === dimension.name && refers(d.Value, dimension.logicalId, dimension.value));
}

function alarm(properties: Record<string, unknown>, actions: unknown[]): TemplateResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { ...properties, ComparisonOperator: properties.ComparisonOperator ?? 'GreaterThanThreshold', AlarmActions: actions },
  };
}

/** logicalId -> resource, for the alarms the template does not have yet. */
export function alarmResources(stack: StackResources, opsTopicLogicalId: string): Record<string, TemplateResource> {
  const actions = [{ Ref: opsTopicLogicalId }];
  const name = (suffix: string) => `secretwatch-${stack.stage}-${suffix}`;
  const out: Record<string, TemplateResource> = {};
  const has = (metric: string, dimension?: Parameters<typeof watches>[2]) => stack.alarms.some((a) => watches(a, metric, dimension));

  if (!stack.alarms.some((a) => a.metricName === FINDINGS_METRIC && a.dimensions.some((d) => d.Name === SEVERITY_DIMENSION && d.Value === 'CRITICAL'))) {
    out.CriticalFindingAlarm = alarm(
      {
        AlarmName: name('critical-finding'),
        AlarmDescription: 'A CRITICAL SecretWatch finding (a secret force-deleted or made public): act now; the alert topic has the details and docs/alerts.md the response',
        Namespace: stack.namespace,
        MetricName: FINDINGS_METRIC,
        Dimensions: [{ Name: SEVERITY_DIMENSION, Value: 'CRITICAL' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      },
      actions,
    );
  }
  /** Any data point of a count in five minutes raises the alarm; no data is no problem. */
  const anyCount = (alarmName: string, description: string, metricName: string) =>
    alarm(
      {
        AlarmName: name(alarmName),
        AlarmDescription: description,
        Namespace: stack.namespace,
        MetricName: metricName,
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      },
      actions,
    );
  if (!has(INVALID_EVENTS_METRIC)) {
    out.InvalidEventsAlarm = anyCount(
      'invalid-events',
      'A SecretWatch function received an event it could not parse, or that made a check fail (logged with its eventID, not retried); see docs/deploy.md',
      INVALID_EVENTS_METRIC,
    );
  }
  if (stack.functions.some((f) => f.name === 'slackNotifier') && !has(SLACK_REJECTED_METRIC)) {
    out.SlackRejectedAlarm = anyCount(
      'slack-rejected',
      'Slack refused a SecretWatch message for good (webhook revoked, channel gone, payload refused): not retried; the slackNotifier log says why, see docs/delivery.md',
      SLACK_REJECTED_METRIC,
    );
  }
  for (const fn of stack.functions) {
    if (has('Errors', { name: 'FunctionName', logicalId: fn.logicalId, value: fn.functionName })) continue;
    out[`${fn.logicalId.replace(/LambdaFunction$/, '')}ErrorsAlarm`] = alarm(
      {
        AlarmName: `${fn.functionName}-errors`,
        AlarmDescription: `SecretWatch function ${fn.name} failed an invocation (it is retried, then dead-lettered); its log group ${fn.logGroup} says why`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: fn.functionName }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      },
      actions,
    );
  }
  for (const queue of stack.queues) {
    if (has(QUEUE_DEPTH_METRIC, { name: 'QueueName', logicalId: queue.logicalId, value: queue.queueName })) continue;
    const deployed = DEPLOYED_QUEUE_ALARMS[queue.logicalId];
    out[deployed?.logicalId ?? `${queue.logicalId}Alarm`] = alarm(
      {
        AlarmName: deployed ? name(deployed.suffix) : `${queue.queueName}-not-empty`,
        AlarmDescription: deployed?.description ?? `Dead-letter queue ${queue.queueName} holds a message that SecretWatch could not deliver; see docs/deploy.md`,
        Namespace: 'AWS/SQS',
        MetricName: QUEUE_DEPTH_METRIC,
        Dimensions: [{ Name: 'QueueName', Value: queue.queueName }],
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      },
      actions,
    );
  }
  if (stack.scanIntervalHours !== null && !has(SCAN_COMPLETED)) {
    const window = heartbeatWindow(stack.scanIntervalHours);
    out.ScanMissedAlarm = alarm(
      {
        AlarmName: name('scan-missed'),
        AlarmDescription: `The SecretWatch inventory scan has not completed for ${window.evaluationPeriods} hours (two intervals, 7 days at most); see docs/deploy.md`,
        Namespace: stack.namespace,
        MetricName: SCAN_COMPLETED,
        Statistic: 'Sum',
        Period: window.period,
        EvaluationPeriods: window.evaluationPeriods,
        DatapointsToAlarm: window.evaluationPeriods,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        // Silence is the failure: a period without a completed scan counts against it.
        TreatMissingData: 'breaching',
      },
      actions,
    );
  }
  return out;
}
