import * as z from '../schema/zod';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { Config } from '../config/config';
import type { DeliveryClients } from '../delivery/deliver';
import { errorField, type Log } from '../delivery/log';
import { invalidEventsMetric, putMetrics } from '../delivery/metrics';
import { deliverScan, type ScanDeliveryReport } from '../delivery/scanDelivery';
import type { CallCounts, InventoryClient } from '../inventory/client';
import { accountSummaries, memberAccountsOf, scanMembers, type CentralScanDeps, type MemberScan } from './centralScan';
import { assembledScan, startFanOut, type FanOutDeps } from './fanOut/coordinator';
import { runScan, type ScanResult } from './scan';
import { composeScanDelivery, totalsOf } from './scanComposition';

export interface InventoryScanDeps {
  config: Config;
  inventory: InventoryClient;
  /** The account's IAM, read once per scan for secrets-readable-from-other-account; without it that check is not run. */
  iam?: IAMClient;
  clients: DeliveryClients;
  log: Log;
  /** The region the function runs in, for a digest of an empty inventory. */
  region?: string | null;
  now?: () => Date;
  /** Epoch ms after which no version look-up starts, leaving time to deliver. */
  lookupDeadlineMs?: () => number;
  /** Central mode: how to reach the member accounts (config.scanAccounts or config.scanOrganization). */
  central?: CentralScanDeps;
  /**
   * Central mode on scan workers: this invocation plans the scan, queues one unit per member
   * account and region, scans its own inventory, and a later invocation ({"assembleScan": run})
   * reports them all. Without it the member accounts are scanned in this invocation.
   */
  fanOut?: FanOutDeps;
}

export type InventoryScanResult =
  | { status: 'invalid'; reason: string }
  /** The central scan was fanned out: its units are queued, and the run is reported once they are all stored. */
  | { status: 'fanned-out'; run: string; scannedAt: string; units: number; queued: number; resumed: boolean }
  /** An assembling request for a run that is not (or no longer) stored: nothing to report. */
  | { status: 'unknown-run'; run: string }
  | {
      status: 'completed';
      scannedAt: string;
      secrets: number;
      findings: number;
      newFindings: number;
      digest: 'new' | 'full' | null;
      calls: CallCounts;
      /** Central mode: each member account, scanned or not. */
      accounts?: ReturnType<typeof accountSummaries>;
      delivery: ScanDeliveryReport;
    };

/**
 * What invokes the scan: EventBridge's scheduled event, or a person (`aws lambda invoke`) with
 * `{}` or `{"fullDigest": true}` to get the full digest now, e.g. right after the first deploy.
 */
const scanEventSchema = z.looseObject({
  time: z.optional(z.string()),
  fullDigest: z.optional(z.boolean()),
  /** The fanned-out central scan whose units are all stored: report it (sent by the last scan worker). */
  assembleScan: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

/** A scheduled event up to this far in the future of the clock is clock skew, not a forgery. */
const MAX_SKEW_MS = 5 * 60_000;
/** Lambda retries a failed invocation for hours; an event older than this is not a retry of ours. */
const MAX_EVENT_AGE_MS = 7 * 86_400_000;
/** Accounts listed in the completion log line; beyond, only counted. */
const MAX_ACCOUNTS_IN_SUMMARY = 200;
/** Tag problems logged one by one, then only counted. */
const MAX_ISSUE_LOG_LINES = 50;

/**
 * The scan's clock: the scheduled time the event carries (so that a retried invocation judges the
 * same window as the first attempt), else the real clock; to the minute, so that consecutive
 * scheduled windows meet exactly.
 */
export function scanTime(eventTime: string | undefined, realNow: Date): Date {
  const at = eventTime ? Date.parse(eventTime) : NaN;
  const real = realNow.getTime();
  const usable = !Number.isNaN(at) && at <= real + MAX_SKEW_MS && at >= real - MAX_EVENT_AGE_MS;
  const ms = usable ? at : real;
  return new Date(Math.floor(ms / 60_000) * 60_000);
}

/**
 * The inventoryScan function: scan, then one PutMetricData with the posture gauges, one digest
 * (findings new in this scan's window; every finding on fullDigestWeekday), every finding on the
 * bus. A failure to list the inventory or to notify fails the invocation (Lambda retries it, then
 * dead-letters it); an event that is not a scan request is logged, counted and not retried.
 */
export async function handleInventoryScan(event: unknown, deps: InventoryScanDeps): Promise<InventoryScanResult> {
  const { config, log } = deps;
  const realNow = (deps.now ?? (() => new Date()))();
  const parsed = scanEventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ');
    log.error('invalid scan request: not processed, not retried', { reason });
    await putMetrics(deps.clients.cloudWatch, config.metricNamespace, [invalidEventsMetric(1, realNow)]).catch((error: unknown) =>
      log.error('InvalidEvents metric not published', { error: errorField(error) }),
    );
    return { status: 'invalid', reason };
  }
  const memberAccounts = memberAccountsOf(config);
  if (parsed.data.assembleScan !== undefined) {
    if (!deps.fanOut) throw new Error('assembleScan: this function does not fan its scan out (no scan run store)');
    const assembled = await assembledScan(parsed.data.assembleScan, deps.fanOut);
    if (!assembled) {
      log.error('scan run to assemble not found (expired, or not of this stack): nothing reported', { run: parsed.data.assembleScan });
      return { status: 'unknown-run', run: parsed.data.assembleScan };
    }
    log.info('assembling scan run', { run: parsed.data.assembleScan, units: assembled.members.length + 1 });
    return reportScan(assembled.own, assembled.members, assembled.scannedAt, assembled.fullDigest, deps);
  }
  const now = scanTime(parsed.data.time, realNow);
  const scanOptions = { config, now, lookupDeadlineMs: deps.lookupDeadlineMs?.() };
  if (memberAccounts && deps.fanOut) {
    const started = await startFanOut(memberAccounts, deps.inventory, { ...scanOptions, fullDigest: parsed.data.fullDigest === true }, deps.fanOut, deps.iam);
    log.info('central scan fanned out', { ...started });
    return { status: 'fanned-out', scannedAt: now.toISOString(), ...started };
  }
  const result = await runScan(deps.inventory, scanOptions, deps.iam);
  const members = memberAccounts && deps.central ? await scanMembers(memberAccounts, scanOptions, deps.central) : null;
  return reportScan(result, members, now, parsed.data.fullDigest, deps);
}

/**
 * What every scan ends with, in one invocation or assembled from its units: the log, one
 * PutMetricData with the gauges, one digest, every finding on the bus.
 */
async function reportScan(result: ScanResult, members: readonly MemberScan[] | null, now: Date, fullDigest: boolean | undefined, deps: InventoryScanDeps): Promise<InventoryScanResult> {
  const { config, log } = deps;
  const accounts = members ? accountSummaries(members) : undefined;
  const merged = totalsOf(result, members);
  const { findings, counts, issues } = merged.evaluation;
  for (const account of accounts ?? []) {
    if (account.status === 'scanned') log.info('account scanned', { ...account });
    else log.error('account not scanned', { ...account });
    if (account.authorizationDetailsError) {
      log.error('roles readable from other accounts not checked: iam:GetAccountAuthorizationDetails failed', { account: account.account, error: account.authorizationDetailsError });
    }
  }

  const outcome = composeScanDelivery(result, members, merged, { config, now, region: deps.region ?? null, digest: 'scheduled', fullDigest });
  const { newFindings, digest: notify } = outcome;

  for (const finding of newFindings) log.info('finding', { finding });
  for (const issue of issues.slice(0, MAX_ISSUE_LOG_LINES)) log.warn('tag value not usable', { ...issue });
  if (issues.length > MAX_ISSUE_LOG_LINES) log.warn('more tag values not usable', { count: issues.length - MAX_ISSUE_LOG_LINES });
  if (result.otherAccountAccess?.error) {
    log.error('roles readable from other accounts not checked: iam:GetAccountAuthorizationDetails failed', { error: result.otherAccountAccess.error });
  }
  if (result.lookups.failed || result.lookups.notMade) {
    log.warn('some AWSCURRENT version look-ups failed or were not made: those secrets were judged by LastRotatedDate/CreatedDate', { ...result.lookups });
  }

  const delivery = await deliverScan(outcome, deps.clients, config, log, now);
  log.info('scan completed', {
    scannedAt: now.toISOString(),
    secrets: counts.secrets,
    exempt: counts.exempt,
    pendingDeletion: counts.pendingDeletion,
    findings: findings.length,
    newFindings: newFindings.length,
    byCheck: counts.byCheck,
    calls: merged.calls,
    // Each account has its own line above; a list of thousands would pass CloudWatch's 256 KB event size.
    ...(accounts ? (accounts.length <= MAX_ACCOUNTS_IN_SUMMARY ? { accounts } : { accountCount: accounts.length }) : {}),
    versionLookups: result.lookups,
    digest: notify?.scope ?? null,
    durationMs: result.durationMs,
  });
  return {
    status: 'completed',
    scannedAt: now.toISOString(),
    secrets: counts.secrets,
    findings: findings.length,
    newFindings: newFindings.length,
    digest: notify?.scope ?? null,
    calls: merged.calls,
    ...(accounts ? { accounts } : {}),
    delivery,
  };
}
