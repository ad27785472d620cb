import type { IAMClient } from '@aws-sdk/client-iam';
import { secretsReadableFromOtherAccount } from '../checks/inventory/secrets-readable-from-other-account';
import { evaluateInventory, secretsToLookUp, type InventoryEvaluation } from '../checks/inventory/evaluate';
import { secretArnLocation } from '../resources/secret';
import { projectRotations } from '../checks/inventory/projection';
import type { Config } from '../config/config';
import type { CallCounts, InventoryClient } from '../inventory/client';
import { listInventory } from '../inventory/listSecrets';
import { lookUpCurrentVersions } from '../inventory/versions';
import { checkOtherAccountAccess, type OtherAccountAccess } from './otherAccountAccess';

export type ScanProgress = { phase: 'list'; listed: number } | { phase: 'versions'; done: number; total: number };

export interface ScanOptions {
  config: Config;
  /** The clock. */
  now: Date;
  /** Judge the inventory as of this moment instead (the CLI's --as-of); the handler never sets it. */
  asOf?: Date;
  /** Epoch ms after which no new version look-up starts. */
  lookupDeadlineMs?: number;
  onProgress?: (progress: ScanProgress) => void;
  /** Central mode with scanOrganization: the organization's accounts, trusted like trustedAccounts by secrets-readable-from-other-account. */
  organizationAccounts?: readonly string[];
}

export interface ScanResult {
  evaluation: InventoryEvaluation;
  /** The moment the inventory was judged at: asOf, or now. */
  judgedAt: Date;
  calls: CallCounts;
  lookups: { requested: number; failed: number; notMade: number };
  /** Secrets whose scheduled rotations were assumed up to --as-of. */
  projected: number;
  /** Account and region of the inventory, from its ARNs (null when it is empty). */
  account: string | null;
  region: string | null;
  /** The account's IAM read for secrets-readable-from-other-account; null when the scan was given no IAM client. */
  otherAccountAccess: Omit<OtherAccountAccess, 'findings'> | null;
  durationMs: number;
}

/**
 * The scan, shared by the inventoryScan function and `secretwatch scan`: list the inventory (I/O),
 * pick the secrets that look overdue (pure), look up their AWSCURRENT versions (I/O), judge
 * everything (pure). Nothing else calls AWS, so the calls are ceil(N/100) ListSecrets plus one
 * ListSecretVersionIds per secret that looks overdue.
 */
export async function runScan(inventory: InventoryClient, options: ScanOptions, iam?: IAMClient): Promise<ScanResult> {
  const started = Date.now();
  const judgedAt = options.asOf ?? options.now;
  const ctx = { config: options.config, now: judgedAt };
  const listed = await listInventory(inventory.client, (n) => options.onProgress?.({ phase: 'list', listed: n }));
  const { secrets, projected } = projectRotations(listed, options.now.getTime(), judgedAt.getTime());
  const toLookUp = secretsToLookUp(secrets, ctx);
  options.onProgress?.({ phase: 'versions', done: 0, total: toLookUp.length });
  const versions = await lookUpCurrentVersions(inventory.client, toLookUp, {
    deadlineMs: options.lookupDeadlineMs,
    onProgress: (done, total) => options.onProgress?.({ phase: 'versions', done, total }),
  });
  let failed = 0;
  let notMade = 0;
  for (const v of versions.values()) {
    if (!('error' in v)) continue;
    if (v.skipped) notMade++;
    else failed++;
  }
  const evaluation = evaluateInventory(secrets, ctx, { versions, projected });
  const location = listed.length ? secretArnLocation(listed[0].arn) : { account: null, region: null };
  let otherAccountAccess: ScanResult['otherAccountAccess'] = null;
  // IAM is global: one read per scan and account, and only with secrets to judge it against.
  if (iam && location.account && secrets.length) {
    const { findings, ...read } = await checkOtherAccountAccess(iam, {
      account: location.account,
      region: location.region,
      secrets,
      config: options.config,
      nowMs: judgedAt.getTime(),
      organizationAccounts: options.organizationAccounts ?? [],
    });
    otherAccountAccess = read;
    evaluation.findings.push(...findings);
    evaluation.counts.byCheck[secretsReadableFromOtherAccount.id] = findings.length;
  }
  return {
    evaluation,
    judgedAt,
    calls: { ...inventory.calls },
    lookups: { requested: toLookUp.length, failed, notMade },
    projected: projected.size,
    ...location,
    otherAccountAccess,
    durationMs: Date.now() - started,
  };
}
