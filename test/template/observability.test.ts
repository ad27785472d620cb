/**
 * The dashboard and the alarms in the packaged templates (serverless/observability.js over
 * src/dashboard): every metric a widget or an alarm names is one the code publishes or one AWS
 * publishes for a resource of this stack; every alarm notifies the ops topic; the body is valid
 * JSON within CloudWatch's limits.
 */
import { scanChecksRunBy } from '../../src/checks';
import { emfCount } from '../../src/delivery/emf';
import { findingMetrics, invalidEventsMetric, SLACK_REJECTED_METRIC } from '../../src/delivery/metrics';
import { scanGauges } from '../../src/delivery/scanMetrics';
import type { Finding } from '../../src/findings/finding';
import { SEVERITIES } from '../../src/findings/severity';
import { PSEUDO, STAGE, VARIANTS, loadTemplate, referencedId, render, resourcesOfType, type Template, type VariantName } from './packaging';

const variants = Object.keys(VARIANTS) as VariantName[];
const NOW = new Date('2024-06-01T00:00:00Z');

/** "Name|Dim=..." of every metric the code publishes, taken from the publishing functions themselves. */
function publishedMetrics(): Set<string> {
  const findings = SEVERITIES.map((severity) => ({ severity }) as Finding);
  const data = [
    ...findingMetrics(findings, NOW),
    invalidEventsMetric(1, NOW),
    // Every gauge a scan check declares, as the scan publishes them.
    ...scanGauges({ secrets: 1, pendingDeletion: 0, byGauge: Object.fromEntries(scanChecksRunBy('inventoryScan').flatMap((c) => (c.gauge ? [[c.gauge, 0]] : []))) }, NOW),
  ];
  // The Slack notifier's count, logged in embedded metric format: its metric names are the line's keys besides _aws.
  const embedded = Object.keys(emfCount('ns', SLACK_REJECTED_METRIC, 1, NOW)).filter((key) => key !== '_aws');
  return new Set([...data.map((d) => [d.MetricName, ...(d.Dimensions ?? []).map((x) => `${x.Name}=${x.Value}`)].join('|')), ...embedded]);
}

interface Named {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  where: string;
}

/** [namespace, name, dim, value, ..., {options}] */
function widgetMetric(entry: unknown[], where: string): Named {
  const parts = entry.filter((p) => typeof p === 'string') as string[];
  const [namespace, name, ...dims] = parts;
  const dimensions: Record<string, string> = {};
  for (let i = 0; i < dims.length; i += 2) dimensions[dims[i]] = dims[i + 1];
  return { namespace, name, dimensions, where };
}

function dashboardOf(t: Template) {
  const [[, dashboard], ...more] = resourcesOfType(t, 'AWS::CloudWatch::Dashboard');
  expect(more).toEqual([]);
  const body = dashboard.Properties?.DashboardBody;
  const text = typeof body === 'string' ? body : render(body);
  return { name: dashboard.Properties?.DashboardName as string, text, body: JSON.parse(text.replace(/\$\{!/g, '${')) as { widgets: any[] } };
}

describe.each(variants)('%s', (variant) => {
  const t = loadTemplate(variant);
  const functions = resourcesOfType(t, 'AWS::Lambda::Function').map(([id, r]) => ({ id, name: r.Properties?.FunctionName as string, env: r.Properties?.Environment?.Variables ?? {} }));
  const namespace = functions[0].env.METRIC_NAMESPACE as string;
  const queues = resourcesOfType(t, 'AWS::SQS::Queue').map(([id, r]) => ({ id, name: r.Properties?.QueueName as string }));
  const rules = resourcesOfType(t, 'AWS::Events::Rule').map(([, r]) => r.Properties?.Name as string);
  const logGroups = resourcesOfType(t, 'AWS::Logs::LogGroup').map(([, r]) => r.Properties?.LogGroupName as string);
  const alarms = resourcesOfType(t, 'AWS::CloudWatch::Alarm');
  const { name, text, body } = dashboardOf(t);
  const published = publishedMetrics();

  const named: Named[] = [
    ...body.widgets.filter((w) => w.type === 'metric').flatMap((w) => (w.properties.metrics as unknown[][]).map((m) => widgetMetric(m, `widget "${w.properties.title}"`))),
    ...alarms.map(([id, a]) => ({
      namespace: render(a.Properties?.Namespace),
      name: a.Properties?.MetricName as string,
      dimensions: Object.fromEntries(
        (a.Properties?.Dimensions ?? []).map((d: any) => [
          d.Name,
          referencedId(d.Value, 'QueueName') ? (queues.find((q) => q.id === referencedId(d.Value, 'QueueName'))?.name as string) : render(d.Value),
        ]),
      ),
      where: `alarm ${id}`,
    })),
  ];

  test("one dashboard named after the stage; its body is valid JSON within CloudWatch's limits", () => {
    expect(name).toBe(`secretwatch-${STAGE}`);
    expect(Buffer.byteLength(text)).toBeLessThan(1024 * 1024);
    expect(body.widgets.length).toBeGreaterThan(5);
    expect(body.widgets.length).toBeLessThanOrEqual(500);
    const metricsPerWidget = body.widgets.filter((w) => w.type === 'metric').map((w) => w.properties.metrics.length);
    for (const n of metricsPerWidget) expect(n).toBeLessThanOrEqual(500);
    expect(metricsPerWidget.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2500);
    // Metric and log widgets name their region; the alarm widget's ARNs carry it.
    for (const w of body.widgets) if (w.type === 'metric' || w.type === 'log') expect(w.properties.region).toBe(PSEUDO['AWS::Region']);
  });

  test("no widget or alarm points at nothing: every metric is published by the code or by AWS for this stack's resources", () => {
    expect(named.length).toBeGreaterThan(10);
    for (const m of named) {
      const key = [m.name, ...Object.entries(m.dimensions).map(([k, v]) => `${k}=${v}`)].join('|');
      if (m.namespace === namespace) expect({ where: m.where, key, published: published.has(key) }).toEqual({ where: m.where, key, published: true });
      else if (m.namespace === 'AWS/Lambda') expect(functions.map((f) => f.name)).toContain(m.dimensions.FunctionName);
      else if (m.namespace === 'AWS/SQS') expect(queues.map((q) => q.name)).toContain(m.dimensions.QueueName);
      else if (m.namespace === 'AWS/Events') expect(rules).toContain(m.dimensions.RuleName);
      else throw new Error(`${m.where}: unexpected namespace ${m.namespace}`);
    }
  });

  test('every function, queue and rule of the stack is on the dashboard; the findings table reads every function log group', () => {
    const inWidgets = (ns: string, dim: string) => new Set(named.filter((m) => m.namespace === ns && m.where.startsWith('widget')).map((m) => m.dimensions[dim]));
    expect([...inWidgets('AWS/Lambda', 'FunctionName')].sort()).toEqual(functions.map((f) => f.name).sort());
    expect([...inWidgets('AWS/SQS', 'QueueName')].sort()).toEqual(queues.map((q) => q.name).sort());
    expect([...inWidgets('AWS/Events', 'RuleName')].sort()).toEqual([...rules].sort());
    const query = body.widgets.find((w) => w.type === 'log').properties.query as string;
    const sources = [...query.matchAll(/SOURCE '([^']+)'/g)].map((m) => m[1]);
    expect(sources.sort()).toEqual(functions.map((f) => `/aws/lambda/${f.name}`).sort());
    for (const s of sources) expect(logGroups).toContain(s);
  });

  test("the alarm widget lists exactly the stack's alarms", () => {
    const arns: string[] = body.widgets.find((w) => w.type === 'alarm').properties.alarms;
    expect(arns.map((a) => a.split(':alarm:')[1]).sort()).toEqual(alarms.map(([, a]) => render(a.Properties?.AlarmName)).sort());
    for (const a of arns) expect(a).toMatch(new RegExp(`^arn:aws:cloudwatch:${PSEUDO['AWS::Region']}:123456789012:alarm:secretwatch-${STAGE}-`));
  });

  test('every alarm has an action, and every action is the encrypted ops topic', () => {
    expect(alarms.length).toBeGreaterThan(5);
    for (const [id, a] of alarms) {
      const actions = [...(a.Properties?.AlarmActions ?? []), ...(a.Properties?.OKActions ?? []), ...(a.Properties?.InsufficientDataActions ?? [])];
      expect({ id, count: (a.Properties?.AlarmActions ?? []).length > 0 }).toEqual({ id, count: true });
      for (const action of actions) expect({ id, action: referencedId(action) }).toEqual({ id, action: 'OpsTopic' });
    }
    expect(t.Resources.OpsTopic.Properties?.KmsMasterKeyId).toBeDefined();
  });

  test("alarms: a CRITICAL finding, invalid events, each function's errors, each queue's messages", () => {
    const on = (ns: string, metric: string, dims: Record<string, string> = {}) =>
      named.filter((m) => m.where.startsWith('alarm') && m.namespace === ns && m.name === metric && Object.entries(dims).every(([k, v]) => m.dimensions[k] === v));
    expect(on(namespace, 'Findings', { Severity: 'CRITICAL' })).toHaveLength(1);
    expect(on(namespace, 'InvalidEvents')).toHaveLength(1);
    for (const f of functions) expect({ fn: f.name, alarms: on('AWS/Lambda', 'Errors', { FunctionName: f.name }).length }).toEqual({ fn: f.name, alarms: 1 });
    for (const q of queues) expect({ queue: q.name, alarms: on('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: q.name }).length }).toEqual({ queue: q.name, alarms: 1 });
    for (const [, a] of alarms.filter(([, x]) => x.Properties?.MetricName !== 'ScanCompleted')) {
      expect(a.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });
    }
  });

  test('the scan heartbeat: ScanCompleted missing for two intervals (7 days at most), missing data breaching', () => {
    const scan = functions.find((f) => f.name === `secretwatch-${STAGE}-inventoryScan`);
    const heartbeats = alarms.filter(([, a]) => a.Properties?.MetricName === 'ScanCompleted');
    if (!scan) {
      expect(heartbeats).toEqual([]);
      return;
    }
    expect(heartbeats).toHaveLength(1);
    const p = heartbeats[0][1].Properties ?? {};
    const hours = Number(scan.env.SCAN_INTERVAL_HOURS);
    expect(p.TreatMissingData).toBe('breaching');
    expect(render(p.Namespace)).toBe(namespace);
    expect(Number(p.Period) * Number(p.EvaluationPeriods)).toBe(Math.min(2 * hours, 168) * 3600);
    expect(Number(p.DatapointsToAlarm ?? p.EvaluationPeriods)).toBe(Number(p.EvaluationPeriods));
    expect(p).toMatchObject({ Threshold: 1, ComparisonOperator: 'LessThanThreshold' });
    expect(body.widgets.some((w) => w.properties.title === 'Inventory at the last scan (trend: 30 days)')).toBe(true);
  });
});
