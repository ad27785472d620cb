import { FINDINGS_METRIC, INVALID_EVENTS_METRIC, SEVERITY_DIMENSION } from '../delivery/metrics';
import { scanChecksRunBy } from '../checks';
import { INVENTORY_GAUGES, SCAN_COMPLETED } from '../delivery/scanMetrics';
import { SEVERITIES } from '../findings/severity';
import { SEVERITY_STYLE } from '../findings/slack';
import type { StackResources } from './stack';

/**
 * The CloudWatch dashboard of one stage (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 * the alarms, findings by severity over time, the inventory gauges with their 30-day trend, the
 * latest findings by check and secret (Logs Insights over the functions' structured logs), and
 * the monitor's own health: function errors, throttles and duration, dead-letter queue depth,
 * EventBridge failed invocations. Every widget names the stage's real resources.
 */

/** Stand-ins for what only CloudFormation knows; dashboardBodyText() turns them into Fn::Sub variables. */
export const ACCOUNT_TOKEN = '@@SECRETWATCH_ACCOUNT_ID@@';
export const PARTITION_TOKEN = '@@SECRETWATCH_PARTITION@@';

type Metric = (string | Record<string, unknown>)[];
export interface Widget {
  type: 'metric' | 'log' | 'text' | 'alarm';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}
export interface DashboardBody {
  start: string;
  periodOverride: 'auto' | 'inherit';
  widgets: Widget[];
}

const FULL = 24;

/** Places widgets left to right, wrapping at the grid's 24 columns. */
class Grid {
  readonly widgets: Widget[] = [];
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  add(type: Widget['type'], width: number, height: number, properties: Record<string, unknown>): void {
    if (this.x + width > FULL) this.newRow();
    this.widgets.push({ type, x: this.x, y: this.y, width, height, properties });
    this.x += width;
    this.rowHeight = Math.max(this.rowHeight, height);
  }

  newRow(): void {
    if (this.x === 0) return;
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

function alarmArn(stack: StackResources, alarmName: string): string {
  return `arn:${PARTITION_TOKEN}:cloudwatch:${stack.region}:${ACCOUNT_TOKEN}:alarm:${alarmName}`;
}

/** Logs Insights: the functions log one line per finding, {"message":"finding","finding":{...}}. */
export function latestFindingsQuery(stack: StackResources): string {
  const sources = stack.functions.map((f) => `SOURCE '${f.logGroup}'`).join(' | ');
  return [
    sources,
    'filter message = "finding"',
    'fields coalesce(finding.secret.name, finding.secret.id) as secret',
    'stats latest(finding.severity) as severity, latest(finding.title) as title, count(*) as findings, max(@timestamp) as last by finding.check, secret',
    'sort last desc',
    'limit 100',
  ].join('\n| ');
}

function perFunction(stack: StackResources, metricName: string, stat: string): Metric[] {
  return stack.functions.map((f) => ['AWS/Lambda', metricName, 'FunctionName', f.functionName, { label: f.name, stat }]);
}

export function dashboardBody(stack: StackResources, alarmNames: readonly string[]): DashboardBody {
  const grid = new Grid();
  const region = stack.region;
  const ns = stack.namespace;

  grid.add('text', FULL, 2, {
    markdown: [
      `# SecretWatch \`${stack.stage}\` · ${region}`,
      "Findings, the inventory and the monitor's own health. Built from code (`src/dashboard`) at every deploy: change it there, not here. What each finding means and how to respond: `docs/alerts.md`.",
    ].join('\n'),
  });
  grid.newRow();
  if (alarmNames.length) {
    grid.add('alarm', FULL, 3, { title: 'Alarms (they notify the ops topic)', alarms: alarmNames.map((n) => alarmArn(stack, n)), sortBy: 'stateUpdatedTimestamp' });
    grid.newRow();
  }

  grid.add('metric', 16, 6, {
    title: 'Findings by severity',
    region,
    view: 'timeSeries',
    stacked: true,
    stat: 'Sum',
    period: 3600,
    metrics: SEVERITIES.map((s): Metric => [ns, FINDINGS_METRIC, SEVERITY_DIMENSION, s, { label: s, color: SEVERITY_STYLE[s].color }]),
    yAxis: { left: { min: 0, showUnits: false } },
  });
  grid.add('metric', 8, 6, {
    title: 'Invalid events (not parsed, not retried)',
    region,
    view: 'timeSeries',
    stat: 'Sum',
    period: 300,
    metrics: [[ns, INVALID_EVENTS_METRIC, { label: 'InvalidEvents', color: '#B71C1C' }]],
    yAxis: { left: { min: 0, showUnits: false } },
  });
  grid.newRow();

  if (stack.scanIntervalHours !== null) {
    const gauges = [...INVENTORY_GAUGES.slice(0, 1), ...scanChecksRunBy('inventoryScan').flatMap((c) => (c.gauge ? [c.gauge] : [])), ...INVENTORY_GAUGES.slice(1)];
    grid.add('metric', 18, 4, {
      title: 'Inventory at the last scan (trend: 30 days)',
      region,
      view: 'singleValue',
      sparkline: true,
      start: '-P30D',
      stat: 'Maximum',
      period: stack.scanIntervalHours * 3600,
      metrics: gauges.map((g): Metric => [ns, g, { label: g }]),
    });
    grid.add('metric', 6, 4, {
      title: 'Scans completed (30 days)',
      region,
      view: 'bar',
      start: '-P30D',
      stat: 'Sum',
      period: 86400,
      metrics: [[ns, SCAN_COMPLETED, { label: SCAN_COMPLETED }]],
    });
    grid.newRow();
  }

  if (stack.functions.length) {
    grid.add('log', FULL, 8, { title: 'Latest findings by check and secret', region, view: 'table', query: latestFindingsQuery(stack) });
    grid.newRow();
    grid.add('metric', 8, 6, { title: 'Function errors', region, view: 'timeSeries', stat: 'Sum', period: 300, metrics: perFunction(stack, 'Errors', 'Sum') });
    grid.add('metric', 8, 6, { title: 'Function throttles', region, view: 'timeSeries', stat: 'Sum', period: 300, metrics: perFunction(stack, 'Throttles', 'Sum') });
    grid.add('metric', 8, 6, { title: 'Function duration (maximum, ms)', region, view: 'timeSeries', stat: 'Maximum', period: 300, metrics: perFunction(stack, 'Duration', 'Maximum') });
    grid.newRow();
  }
  if (stack.queues.length) {
    grid.add('metric', 12, 6, {
      title: 'Dead-letter queue depth',
      region,
      view: 'timeSeries',
      stat: 'Maximum',
      period: 300,
      metrics: stack.queues.map((q): Metric => ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', q.queueName, { label: q.queueName }]),
    });
  }
  if (stack.rules.length) {
    grid.add('metric', 12, 6, {
      title: 'EventBridge failed invocations',
      region,
      view: 'timeSeries',
      stat: 'Sum',
      period: 300,
      metrics: stack.rules.map((r): Metric => ['AWS/Events', 'FailedInvocations', 'RuleName', r.ruleName, { label: r.ruleName }]),
    });
  }
  return { start: '-P7D', periodOverride: 'inherit', widgets: grid.widgets };
}

/**
 * The DashboardBody property: JSON text, as an Fn::Sub when it names alarms (their ARNs need the
 * account id). Any "${" of its own is escaped for Fn::Sub as "${!".
 */
export function dashboardBodyText(body: DashboardBody): string | { 'Fn::Sub': string } {
  const text = JSON.stringify(body);
  if (!text.includes(ACCOUNT_TOKEN) && !text.includes(PARTITION_TOKEN)) return text;
  return { 'Fn::Sub': text.split('${').join('${!').split(ACCOUNT_TOKEN).join('${AWS::AccountId}').split(PARTITION_TOKEN).join('${AWS::Partition}') };
}
