import type { IAMClient } from '@aws-sdk/client-iam';
import type { InventoryClient } from '../../inventory/client';
import { forEachLimit } from '../../inventory/pool';
import { planMembers, type CentralScanDeps, type MemberAccounts, type MemberScan } from '../centralScan';
import { runScan, type ScanOptions, type ScanResult } from '../scan';
import type { AssemblyTrigger, ScanRunStore, UnitQueue } from './store';
import { OWN_UNIT_KEY, runName, unitKey, type ScanUnit } from './units';

export interface FanOutDeps {
  store: ScanRunStore;
  enqueue: UnitQueue;
  trigger: AssemblyTrigger;
  central: CentralScanDeps;
}

/** Units known unreachable before any is scanned (the organization not listed) stored at once, a few at a time. */
const STORE_CONCURRENCY = 8;

/**
 * Has the run assembled if every unit is stored and nobody else claimed it. The claim is given back
 * when the assembling step cannot be started, so that the retry of whoever stored last claims it again.
 */
export async function assembleWhenComplete(run: string, deps: Pick<FanOutDeps, 'store' | 'trigger'>): Promise<boolean> {
  if (!(await deps.store.claimAssembly(run))) return false;
  try {
    await deps.trigger(run);
  } catch (error) {
    await deps.store.releaseAssembly(run);
    throw error;
  }
  return true;
}

/**
 * The coordinating step of a fanned-out central scan: plan the account and region pairs, record
 * the run, queue one unit per pair for the scan workers, scan the function's own inventory (as the
 * standalone scan does) and store it as the run's own unit. Whoever stores the last unit has the
 * run assembled. A retried invocation (same scheduled time) finds its run recorded and queues only
 * the units not stored yet (one still queued may be scanned twice, and is counted once).
 */
export async function startFanOut(
  members: MemberAccounts,
  inventory: InventoryClient,
  options: ScanOptions & { fullDigest: boolean },
  deps: FanOutDeps,
  /** The central account's IAM, for its own roles readable from other accounts. */
  iam?: IAMClient,
): Promise<{ run: string; units: number; queued: number; resumed: boolean }> {
  const plan = await planMembers(members, options, deps.central);
  const run = runName(options.now, options.fullDigest);
  const scannedAt = options.now.toISOString();
  const total = plan.targets.length + plan.unreachable.length + 1;
  const created = await deps.store.createRun({ run, total, scannedAt, fullDigest: options.fullDigest, region: deps.central.region, account: plan.own });
  // A resumed run skips what is stored already: its units are not scanned twice.
  const stored = created ? new Set<string>() : await deps.store.storedKeys(run);
  await forEachLimit(
    plan.unreachable.filter((scan) => !stored.has(unitKey(scan))),
    STORE_CONCURRENCY,
    async (scan) => {
      await deps.store.putUnit(run, unitKey(scan), scan);
    },
  );
  const queued = plan.targets.filter((t) => !stored.has(unitKey(t))).map((t): ScanUnit => ({ run, scannedAt, account: t.account, region: t.region, ...(t.readsIam ? { readsIam: true } : {}) }));
  await deps.enqueue(queued);
  if (!stored.has(OWN_UNIT_KEY)) {
    const own = await runScan(inventory, plan.organizationAccounts ? { ...options, organizationAccounts: plan.organizationAccounts } : options, iam);
    const ownScan: MemberScan = { account: own.account ?? plan.own ?? '', region: own.region ?? deps.central.region, status: 'scanned', result: own };
    await deps.store.putUnit(run, OWN_UNIT_KEY, ownScan);
  }
  await assembleWhenComplete(run, deps);
  return { run, units: total, queued: queued.length, resumed: !created };
}

/** A run whose units are all stored, ready to report: the function's own scan and every member's. */
export interface AssembledScan {
  own: ScanResult;
  members: MemberScan[];
  scannedAt: Date;
  fullDigest: boolean;
}

/** Reads a run back for its report; null when it is not stored (expired, or another stack's). */
export async function assembledScan(run: string, deps: Pick<FanOutDeps, 'store'>): Promise<AssembledScan | null> {
  const recorded = await deps.store.getRun(run);
  if (!recorded) return null;
  let own: ScanResult | null = null;
  const members: MemberScan[] = [];
  for await (const { key, outcome } of deps.store.units(run)) {
    if (key === OWN_UNIT_KEY && outcome.status === 'scanned') own = outcome.result;
    else members.push(outcome);
  }
  if (!own) throw new Error(`scan run ${run} has no scan of the central account's own inventory: it is not complete`);
  if (members.length + 1 < recorded.total) throw new Error(`scan run ${run} has ${members.length + 1} of its ${recorded.total} units: it is not complete`);
  return { own, members, scannedAt: new Date(recorded.scannedAt), fullDigest: recorded.fullDigest };
}
