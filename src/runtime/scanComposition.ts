import type { InventoryEvaluation } from '../checks/inventory/evaluate';
import { scanAccountUnreachable } from '../checks/central/scan-account-unreachable';
import { checksRunBy } from '../checks';
import type { Config } from '../config/config';
import { scanGauges } from '../delivery/scanMetrics';
import type { ScanDelivery } from '../delivery/scanDelivery';
import { buildDigest, isFullDigestScan, isNewInWindow, scanWindow } from '../findings/digest';
import type { Finding } from '../findings/finding';
import type { CallCounts } from '../inventory/client';
import { accountsCovered, mergeScans, type MemberScan } from './centralScan';
import type { ScanResult } from './scan';

/** One scan's results together: the own account's and, in central mode, every member's. */
export interface ScanTotals {
  evaluation: InventoryEvaluation;
  calls: CallCounts;
  lookups: ScanResult['lookups'];
  /** Scans that completed: the own one and each member account and region scanned. */
  accounts: number;
}

export function totalsOf(own: ScanResult, members: readonly MemberScan[] | null): ScanTotals {
  if (!members) return { evaluation: own.evaluation, calls: own.calls, lookups: own.lookups, accounts: 1 };
  return { ...mergeScans(own, members), accounts: 1 + members.filter((m) => m.status === 'scanned').length };
}

export interface ComposeOptions {
  config: Config;
  /** The scan's clock. */
  now: Date;
  /** The function's region, for the digest of an empty inventory. */
  region: string | null;
  /**
   * scheduled: the digest lists what became non-compliant in this scan's window, every finding on
   * fullDigestWeekday or when `fullDigest` asks for it; full: every finding, now (a person asked).
   */
  digest: 'scheduled' | 'full';
  fullDigest?: boolean;
}

/**
 * What a scan sends, the same for the inventoryScan function and `secretwatch scan --publish`:
 * every finding on the bus, the new ones counted in the Findings metric, the gauges, and one
 * digest (or none when a scheduled scan found nothing new worth an email).
 */
export function composeScanDelivery(own: ScanResult, members: readonly MemberScan[] | null, totals: ScanTotals, options: ComposeOptions): ScanDelivery & { window: ReturnType<typeof scanWindow> } {
  const { findings, counts } = totals.evaluation;
  const { config, now } = options;
  const window = scanWindow(now, config.scanIntervalHours);
  // An unreachable account is news in every scan until it is reachable again: its secrets go unwatched.
  const newFindings: Finding[] = options.digest === 'full' ? [] : findings.filter((f) => f.check === scanAccountUnreachable.id || isNewInWindow(f, window));
  const full = options.digest === 'full' || options.fullDigest === true || isFullDigestScan(window, config.fullDigestWeekday);
  const digest =
    full || newFindings.length > 0
      ? buildDigest({
          findings,
          newFindings: new Set(newFindings),
          scope: full ? 'full' : 'new',
          secrets: counts.secrets,
          account: own.account,
          region: own.region ?? options.region,
          accounts: members ? accountsCovered(own.account, members) : 1,
          window,
          notifyMinSeverity: config.notifyMinSeverity,
        })
      : null;
  // A "new" digest that lists nothing at or above the threshold is not worth an email; the weekly one always goes.
  const notify = digest && (digest.scope === 'full' || digest.entries.length > 0) ? digest : null;
  // Only accounts and regions listed completely: an unreachable member's findings stay open.
  const scanned = [
    { account: own.account, region: own.region ?? options.region },
    ...(members ?? []).filter((m) => m.status === 'scanned' && m.region !== null).map((m) => ({ account: m.account, region: m.region })),
  ];
  const coverage = { checks: checksRunBy('inventoryScan').map((c) => c.id), scanned };
  return { findings, newFindings, gauges: scanGauges(counts, now), digest: notify, window, coverage };
}
