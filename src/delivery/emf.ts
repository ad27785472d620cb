/**
 * A count as a CloudWatch embedded-metric-format object: logged as one JSON line, CloudWatch Logs
 * turns it into a data point with no API call (nothing to time out, no permission to grant).
 * Logged through the structured logger, its keys sit at the top level of the line, where EMF
 * looks for them. No dimensions: one billed series.
 */
export function emfCount(namespace: string, metricName: string, value: number, timestamp: Date): Record<string, unknown> {
  return {
    _aws: { Timestamp: timestamp.getTime(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: metricName, Unit: 'Count' }] }] },
    [metricName]: value,
  };
}
