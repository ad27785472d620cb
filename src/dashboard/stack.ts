/**
 * What the dashboard and the alarms are built over: the stack's functions, queues and rules as the
 * packaged CloudFormation template has them, so that they cover whatever the template holds when it
 * is built (a function added to serverless.yml gets its widgets and its alarm without a list to
 * keep). Names must be literal strings in the template: a widget cannot point at an intrinsic.
 */

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}
export interface Template {
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, unknown>;
}

export interface StackFunction {
  logicalId: string;
  /** As in serverless.yml, e.g. "deletionMonitor". */
  name: string;
  functionName: string;
  logGroup: string;
  environment: Record<string, unknown>;
}
export interface StackQueue {
  logicalId: string;
  queueName: string;
}
export interface StackRule {
  logicalId: string;
  ruleName: string;
}
export interface StackAlarm {
  logicalId: string;
  namespace: unknown;
  metricName: unknown;
  dimensions: { Name: string; Value: unknown }[];
}

export interface StackResources {
  stage: string;
  region: string;
  /** The functions' METRIC_NAMESPACE (the stack's metricNamespace parameter). */
  namespace: string;
  functions: StackFunction[];
  queues: StackQueue[];
  rules: StackRule[];
  alarms: StackAlarm[];
  /** inventoryScan's SCAN_INTERVAL_HOURS; null when the stack has no inventory scan. */
  scanIntervalHours: number | null;
}

/** The function that publishes the scan gauges, by its name in serverless.yml. */
export const SCAN_FUNCTION = 'inventoryScan';
export const DEFAULT_NAMESPACE = 'SecretWatch';

export class StackShapeError extends Error {
  override readonly name = 'StackShapeError';
}

function literal(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new StackShapeError(`${what} must be a literal name in the template for the dashboard and alarms to name it (found ${JSON.stringify(value)})`);
  return value;
}

function ofType(template: Template, type: string): [string, TemplateResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function stackResources(template: Template, options: { stage: string; region: string }): StackResources {
  const prefix = `secretwatch-${options.stage}-`;
  const logGroups = new Set(
    ofType(template, 'AWS::Logs::LogGroup')
      .map(([, r]) => r.Properties?.LogGroupName)
      .filter((n): n is string => typeof n === 'string'),
  );
  const functions = ofType(template, 'AWS::Lambda::Function').map(([logicalId, r]): StackFunction => {
    const functionName = literal(r.Properties?.FunctionName, `${logicalId}.FunctionName`);
    const logGroup = `/aws/lambda/${functionName}`;
    if (!logGroups.has(logGroup)) throw new StackShapeError(`${logicalId}: no log group ${logGroup} in the template (the Logs Insights widget reads it)`);
    const environment = ((r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
    return { logicalId, name: functionName.startsWith(prefix) ? functionName.slice(prefix.length) : functionName, functionName, logGroup, environment };
  });
  const namespaces = [...new Set(functions.map((f) => f.environment.METRIC_NAMESPACE).filter((n) => n !== undefined))];
  if (namespaces.length > 1) throw new StackShapeError(`the functions publish to different metric namespaces (${namespaces.map(String).join(', ')})`);
  const namespace = namespaces.length ? literal(namespaces[0], 'METRIC_NAMESPACE') : DEFAULT_NAMESPACE;
  const scan = functions.find((f) => f.name === SCAN_FUNCTION);
  let scanIntervalHours: number | null = null;
  if (scan) {
    scanIntervalHours = Number(scan.environment.SCAN_INTERVAL_HOURS);
    if (!Number.isInteger(scanIntervalHours) || scanIntervalHours < 1)
      throw new StackShapeError(`${scan.logicalId}: SCAN_INTERVAL_HOURS must be a whole number of hours (found ${JSON.stringify(scan.environment.SCAN_INTERVAL_HOURS)})`);
  }
  return {
    stage: options.stage,
    region: options.region,
    namespace,
    functions: functions.sort((a, b) => a.name.localeCompare(b.name)),
    // Dead-letter queues only: a queue with a dead-letter queue of its own is a work queue (the scan
    // workers'), holding messages as a matter of course.
    queues: ofType(template, 'AWS::SQS::Queue')
      .filter(([, r]) => r.Properties?.RedrivePolicy === undefined)
      .map(([logicalId, r]) => ({ logicalId, queueName: literal(r.Properties?.QueueName, `${logicalId}.QueueName`) }))
      .sort((a, b) => a.queueName.localeCompare(b.queueName)),
    rules: ofType(template, 'AWS::Events::Rule')
      .map(([logicalId, r]) => ({ logicalId, ruleName: literal(r.Properties?.Name, `${logicalId}.Name`) }))
      .sort((a, b) => a.ruleName.localeCompare(b.ruleName)),
    alarms: ofType(template, 'AWS::CloudWatch::Alarm').map(([logicalId, r]) => ({
      logicalId,
      namespace: r.Properties?.Namespace,
      metricName: r.Properties?.MetricName,
      dimensions: (r.Properties?.Dimensions as StackAlarm['dimensions'] | undefined) ?? [],
    })),
    scanIntervalHours,
  };
}
