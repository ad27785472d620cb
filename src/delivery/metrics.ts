import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { Finding } from '../findings/finding';
import { SEVERITIES } from '../findings/severity';

/** PutMetricData takes at most 1,000 data points a call. */
export const MAX_DATA_POINTS_PER_CALL = 1000;

/** Metric and dimension names, shared with the dashboard and alarms (src/dashboard) so that they cannot drift. */
export const FINDINGS_METRIC = 'Findings';
export const SEVERITY_DIMENSION = 'Severity';
export const INVALID_EVENTS_METRIC = 'InvalidEvents';
/** Slack messages refused for good (webhook gone, payload refused): recorded and alarmed on, not retried. */
export const SLACK_REJECTED_METRIC = 'SlackRejected';

/** `Findings` by `Severity`: five billed series whatever the number of checks (per-check views come from the logs, so the stack stays under 15 series). */
export function findingMetrics(findings: readonly Finding[], timestamp: Date): MetricDatum[] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return SEVERITIES.filter((s) => counts.has(s)).map((severity) => ({
    MetricName: FINDINGS_METRIC,
    Dimensions: [{ Name: SEVERITY_DIMENSION, Value: severity }],
    Value: counts.get(severity),
    Unit: 'Count',
    Timestamp: timestamp,
  }));
}

export function invalidEventsMetric(count: number, timestamp: Date): MetricDatum {
  return { MetricName: INVALID_EVENTS_METRIC, Value: count, Unit: 'Count', Timestamp: timestamp };
}

/** One call per invocation unless there are more than 1,000 data points. */
export async function putMetrics(client: CloudWatchClient, namespace: string, data: readonly MetricDatum[], signal?: AbortSignal): Promise<number> {
  let calls = 0;
  for (let i = 0; i < data.length; i += MAX_DATA_POINTS_PER_CALL) {
    await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + MAX_DATA_POINTS_PER_CALL) }), { abortSignal: signal });
    calls++;
  }
  return calls;
}
