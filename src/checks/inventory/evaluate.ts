import type { Finding } from '../../findings/finding';
import type { CurrentVersion, InventorySecret } from '../../resources/secret';
import { looksOverdue } from './currentValue';
import { secretArnLocation } from '../../resources/secret';
import { isReplica } from './finding';
import { scanChecksRunBy } from '../index';
import { secretSettings, type TagIssue } from './tagSettings';
import type { InventoryCheck, InventoryContext, SecretView } from './types';

export interface InventoryCounts {
  /** Every secret listed, exempt and pending deletion included (the Secrets gauge). */
  secrets: number;
  exempt: number;
  pendingDeletion: number;
  /** Created after the moment judged (an --as-of in the past): not judged. */
  notYetCreated: number;
  /** Findings per check id. */
  byCheck: Record<string, number>;
  /** Findings per scan gauge (the checks that declare one). */
  byGauge: Record<string, number>;
}

export interface InventoryEvaluation {
  findings: Finding[];
  counts: InventoryCounts;
  issues: TagIssue[];
}

export interface EvaluateOptions {
  /** AWSCURRENT versions looked up, by ARN. */
  versions?: ReadonlyMap<string, CurrentVersion>;
  /** ARNs whose scheduled rotations were projected up to --as-of. */
  projected?: ReadonlySet<string>;
  checks?: readonly InventoryCheck[];
}

type Judged = { kind: 'judged'; view: SecretView } | { kind: 'pendingDeletion' | 'exempt' | 'notYetCreated'; issues: TagIssue[] };

function judge(secret: InventorySecret, ctx: InventoryContext, options: EvaluateOptions): Judged {
  const nowMs = ctx.now.getTime();
  if (secret.createdMs !== null && secret.createdMs > nowMs) return { kind: 'notYetCreated', issues: [] };
  const settings = secretSettings(secret, ctx.config, nowMs);
  // A secret pending deletion is on its way out: reporting its rotation or use would be noise.
  if (secret.deletedMs !== null) return { kind: 'pendingDeletion', issues: settings.issues };
  if (settings.exemptReason !== null) return { kind: 'exempt', issues: settings.issues };
  const { account, region } = secretArnLocation(secret.arn);
  return {
    kind: 'judged',
    view: { secret, account, region, settings, currentVersion: options.versions?.get(secret.arn), projected: options.projected?.has(secret.arn) ?? false },
  };
}

/**
 * The secrets whose AWSCURRENT version date the rotation-overdue check needs: judged ones (not
 * exempt, not pending deletion, not replicas) that look overdue by their dates alone, since only
 * those can change verdict and each look-up is one API call.
 */
export function secretsToLookUp(secrets: readonly InventorySecret[], ctx: InventoryContext): InventorySecret[] {
  const nowMs = ctx.now.getTime();
  const out: InventorySecret[] = [];
  for (const secret of secrets) {
    const judged = judge(secret, ctx, {});
    if (judged.kind === 'judged' && !isReplica(judged.view) && looksOverdue(secret, judged.view.settings.maxRotationDays, nowMs)) out.push(secret);
  }
  return out;
}

/** Every scan check over every secret: pure, a function of the inventory, the settings and ctx.now. */
export function evaluateInventory(secrets: readonly InventorySecret[], ctx: InventoryContext, options: EvaluateOptions = {}): InventoryEvaluation {
  const checks = options.checks ?? scanChecksRunBy('inventoryScan');
  const counts: InventoryCounts = {
    secrets: secrets.length,
    exempt: 0,
    pendingDeletion: 0,
    notYetCreated: 0,
    byCheck: Object.fromEntries(checks.map((c) => [c.id, 0])),
    byGauge: Object.fromEntries(checks.flatMap((c) => (c.gauge ? [[c.gauge, 0]] : []))),
  };
  const findings: Finding[] = [];
  const issues: TagIssue[] = [];
  for (const secret of secrets) {
    const judged = judge(secret, ctx, options);
    if (judged.kind !== 'judged') {
      counts[judged.kind]++;
      if (judged.issues.length) issues.push(...judged.issues);
      continue;
    }
    if (judged.view.settings.issues.length) issues.push(...judged.view.settings.issues);
    for (const check of checks) {
      const finding = check.evaluate(judged.view, ctx);
      if (finding) {
        findings.push(finding);
        counts.byCheck[check.id]++;
        if (check.gauge) counts.byGauge[check.gauge]++;
      }
    }
  }
  return { findings, counts, issues };
}
