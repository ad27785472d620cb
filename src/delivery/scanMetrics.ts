import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

/** What the scan counted: every secret, those pending deletion, and findings per gauge of the checks that have one. */
export interface ScanGaugeCounts {
  secrets: number;
  pendingDeletion: number;
  byGauge: Readonly<Record<string, number>>;
}

/** Alarms read its absence: a scan that stopped sends nothing. */
export const SCAN_COMPLETED = 'ScanCompleted';

/** The gauges of every scan, whatever its checks: one series each, no dimensions. */
export const INVENTORY_GAUGES = ['Secrets', 'PendingDeletion'] as const;

/** The inventory's posture at the scan: counts of secrets per state, and ScanCompleted = 1 (alarm on its absence). */
export function scanGauges(counts: ScanGaugeCounts, timestamp: Date): MetricDatum[] {
  const values: [string, number][] = [['Secrets', counts.secrets], ...Object.entries(counts.byGauge), ['PendingDeletion', counts.pendingDeletion], [SCAN_COMPLETED, 1]];
  return values.map(([name, value]) => ({ MetricName: name, Value: value, Unit: 'Count', Timestamp: timestamp }));
}
