import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { InventoryCounts } from '../checks/inventory/evaluate';

/** The scan gauges of DESIGN section 5: one series each, no dimensions. */
export const SCAN_GAUGES = ['Secrets', 'RotationOverdue', 'RotationNotEnabled', 'RotationMissed', 'Unused', 'PendingDeletion', 'ScanCompleted'] as const;

/** The inventory's posture at the scan: counts of secrets per state, and ScanCompleted = 1 (alarm on its absence). */
export function scanGauges(counts: InventoryCounts, timestamp: Date): MetricDatum[] {
  const values: Record<(typeof SCAN_GAUGES)[number], number> = {
    Secrets: counts.secrets,
    RotationOverdue: counts.byCheck['rotation-overdue'] ?? 0,
    RotationNotEnabled: counts.byCheck['rotation-not-enabled'] ?? 0,
    RotationMissed: counts.byCheck['rotation-missed'] ?? 0,
    Unused: counts.byCheck['secret-unused'] ?? 0,
    PendingDeletion: counts.pendingDeletion,
    ScanCompleted: 1,
  };
  return SCAN_GAUGES.map((name) => ({ MetricName: name, Value: values[name], Unit: 'Count', Timestamp: timestamp }));
}
