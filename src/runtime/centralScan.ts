import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import { accountUnreachableFinding, type UnreachableAccount, type UnreachableStep } from '../checks/central/scan-account-unreachable';
import type { InventoryEvaluation } from '../checks/inventory/evaluate';
import type { Finding } from '../findings/finding';
import { CLIENT_OPTIONS } from '../followups/clientOptions';
import { createInventoryClient, rateLimitsOf, type CallCounts, type InventoryClient, type InventoryClientOptions } from '../inventory/client';
import { forEachLimit } from '../inventory/pool';
import { listOrganizationAccounts } from './organizationAccounts';
import { runScan, type ScanOptions, type ScanResult } from './scan';
import { memberScanRoleArn, partitionOf, roleNameIn } from './scanRoleName';

/** Member accounts (account and region pairs) scanned at once: each has its own rate limiters, so this bounds the function's load. */
export const ACCOUNT_CONCURRENCY = 3;

export type MemberScan =
  | { account: string; region: string | null; status: 'scanned'; result: ScanResult }
  /** account null: the organization could not be listed and the central account's identity is unknown too. */
  | { account: string | null; region: string | null; status: 'unreachable'; step: UnreachableStep; error: string; finding: Finding };

/** Which member accounts to scan: a list (scanAccounts), or every active account of the organization (scanOrganization). */
export type MemberAccounts = { accounts: readonly string[] } | { organization: true };

/**
 * The member accounts the settings name, or null: no central scan. scanRegions alone still makes
 * one: the central account's own other regions, through its member stacks there.
 */
export function memberAccountsOf(config: { scanAccounts: readonly string[]; scanOrganization: boolean; scanRegions: readonly string[] }): MemberAccounts | null {
  if (config.scanOrganization) return { organization: true };
  return config.scanAccounts.length || config.scanRegions.length ? { accounts: config.scanAccounts } : null;
}

export interface CentralScanDeps {
  sts: STSClient;
  /** Needed for { organization: true }: ListAccounts (a client being loaded is awaited). */
  organizations?: OrganizationsClient | Promise<OrganizationsClient>;
  /** The member scan role's name; {region} in it stands for the region scanned (memberScanRoleNamePattern). */
  roleName: string;
  /** The function's own region: scanned in its own account with its own credentials. */
  region: string | null;
  /** The regions to scan in every member account (and, beyond `region`, in the central account); default: `region` only. */
  regions?: readonly string[];
  /** Default: the region's (partitionOf). */
  partition?: string;
  /** Settings of each member's Secrets Manager client besides its credentials (tests: an endpoint). */
  clientOptions?: Omit<InventoryClientOptions, 'credentials'>;
  concurrency?: number;
}

export function errorText(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; message?: unknown };
    const name = typeof e.name === 'string' ? e.name : 'Error';
    return typeof e.message === 'string' && e.message ? `${name}: ${e.message}` : name;
  }
  return String(error);
}

async function assumeScanRole(deps: CentralScanDeps, roleArn: string): Promise<NonNullable<InventoryClientOptions['credentials']>> {
  // STS's module is loaded by a central scan only; a standalone scan function never loads it.
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const out = await deps.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'secretwatch-central-scan', DurationSeconds: 3600 }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/** A target that could not be scanned: its one scan-account-unreachable finding, for the result and the log. */
export function unreachableScan(u: Omit<UnreachableAccount, 'at'>, options: ScanOptions): MemberScan {
  const finding = accountUnreachableFinding({ ...u, at: options.asOf ?? options.now });
  return { account: u.account, region: u.region, status: 'unreachable', step: u.step, error: u.error, finding };
}

export interface ScanTarget {
  account: string;
  region: string | null;
  /** IAM is global: an account's authorization details are read once, with its first region's scan. */
  readsIam?: boolean;
}

/**
 * What to scan besides the function's own inventory: every member account in every region, and
 * the central account in the regions other than its own (through its own member stacks' roles).
 */
export function targetsOf(accounts: readonly string[], deps: CentralScanDeps, own: string | null): ScanTarget[] {
  const regions = deps.regions?.length ? deps.regions : [deps.region];
  const targets: ScanTarget[] = [];
  const seen = new Set<string>();
  const add = (account: string, region: string | null) => {
    const key = `${account}|${region}`;
    if ((account === own && region === deps.region) || seen.has(key)) return;
    seen.add(key);
    targets.push({ account, region });
  };
  for (const account of accounts) for (const region of regions) add(account, region);
  if (own) for (const region of regions) add(own, region);
  // The central account's were read by its own scan.
  const iamRead = new Set<string | null>([own]);
  for (const target of targets) {
    if (iamRead.has(target.account)) continue;
    iamRead.add(target.account);
    target.readsIam = true;
  }
  return targets;
}

/** The scan role the central scan assumes for an account and region. */
export function targetRoleArn({ account, region }: ScanTarget, deps: Pick<CentralScanDeps, 'roleName' | 'partition'>): string {
  return memberScanRoleArn(account, roleNameIn(deps.roleName, region), deps.partition ?? partitionOf(region));
}

/**
 * One account and region of the central scan: assume that region's scan role and run the same
 * scan as in the function's own account. One that cannot be scanned (AssumeRole refused, or
 * ListSecrets failing) is one scan-account-unreachable finding; its secrets are not judged.
 */
export async function scanTarget({ account, region, readsIam }: ScanTarget, options: ScanOptions, deps: CentralScanDeps): Promise<MemberScan> {
  const roleArn = targetRoleArn({ account, region }, deps);
  const unreachable = (step: UnreachableStep, error: unknown) => unreachableScan({ account, region, roleArn, step, error: errorText(error) }, options);
  let inventory: InventoryClient;
  let iam: IAMClient | undefined;
  try {
    const credentials = await assumeScanRole(deps, roleArn);
    inventory = createInventoryClient({ rateLimits: rateLimitsOf(options.config), ...deps.clientOptions, region: region ?? undefined, credentials });
    if (readsIam) {
      const { IAMClient: Client } = await import('@aws-sdk/client-iam');
      iam = new Client({ ...CLIENT_OPTIONS, ...deps.clientOptions, region: region ?? undefined, credentials });
    }
  } catch (error) {
    return unreachable('AssumeRole', error);
  }
  try {
    return { account, region, status: 'scanned', result: await runScan(inventory, options, iam) };
  } catch (error) {
    return unreachable('ListSecrets', error);
  } finally {
    inventory.client.destroy();
    iam?.destroy();
  }
}

/**
 * The central scan of the member accounts in this invocation: every account and region
 * (scanTarget), a few at a time, the others going on when one cannot be scanned. `own`, the
 * central account, is scanned in the regions other than the function's when it is known.
 */
export async function scanMemberAccounts(accounts: readonly string[], options: ScanOptions, deps: CentralScanDeps, own: string | null = null): Promise<MemberScan[]> {
  return scanTargets(targetsOf(accounts, deps, own), options, deps);
}

async function scanTargets(targets: readonly ScanTarget[], options: ScanOptions, deps: CentralScanDeps): Promise<MemberScan[]> {
  const scans: MemberScan[] = new Array(targets.length);
  await forEachLimit(targets, deps.concurrency ?? ACCOUNT_CONCURRENCY, async (target, index) => {
    scans[index] = await scanTarget(target, options, deps);
  });
  return scans;
}

/** The central account's id (GetCallerIdentity needs no permission). */
export async function callerAccount(deps: Pick<CentralScanDeps, 'sts'>): Promise<string | null> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  return (await deps.sts.send(new GetCallerIdentityCommand({}))).Account ?? null;
}

/** What a central scan covers: the account and region pairs to scan, and those known unreachable before any is scanned. */
export interface MemberPlan {
  targets: ScanTarget[];
  unreachable: MemberScan[];
  /** The central account, when it had to be known. */
  own: string | null;
  /** With { organization: true }: every account of the organization, which trust one another's roles (not "another account"). */
  organizationAccounts?: string[];
}

/**
 * The accounts and regions of a central scan, wherever its accounts come from. With
 * { organization: true } the accounts are listed anew at each scan (an account joining the
 * organization is scanned from its first scan on), the central account itself left out in its own
 * region (the caller scans it apart); if they cannot be listed, the plan is one ListAccounts
 * finding for the central account and no target.
 */
export async function planMembers(members: MemberAccounts, options: ScanOptions, deps: CentralScanDeps): Promise<MemberPlan> {
  const otherRegions = (deps.regions ?? []).some((r) => r !== deps.region);
  if ('accounts' in members) {
    // Only needed to scan the central account's other regions: without it those cannot be scanned, and say so.
    let own: string | null = null;
    let unreachable: MemberScan[] = [];
    if (otherRegions) {
      try {
        own = await callerAccount(deps);
      } catch (error) {
        const text = `GetCallerIdentity failed, so the central account's own role is unknown: ${errorText(error)}`;
        unreachable = (deps.regions ?? [])
          .filter((region) => region !== deps.region)
          .map((region) => unreachableScan({ account: null, region, roleArn: null, step: 'AssumeRole', error: text }, options));
      }
    }
    return { targets: targetsOf(members.accounts, deps, own), unreachable, own };
  }
  let own: string | null = null;
  try {
    if (!deps.organizations) throw new Error("no Organizations client was given to list the organization's accounts");
    own = await callerAccount(deps);
    const accounts = (await listOrganizationAccounts(await deps.organizations, own)).active;
    return { targets: targetsOf(accounts, deps, own), unreachable: [], own, organizationAccounts: own ? [own, ...accounts] : accounts };
  } catch (error) {
    return { targets: [], unreachable: [unreachableScan({ account: own, region: deps.region, roleArn: null, step: 'ListAccounts', error: errorText(error) }, options)], own };
  }
}

/** The central scan in this invocation: the plan's targets scanned a few at a time, then those known unreachable. */
export async function scanMembers(members: MemberAccounts, options: ScanOptions, deps: CentralScanDeps): Promise<MemberScan[]> {
  const plan = await planMembers(members, options, deps);
  const memberOptions = plan.organizationAccounts ? { ...options, organizationAccounts: plan.organizationAccounts } : options;
  return [...(await scanTargets(plan.targets, memberOptions, deps)), ...plan.unreachable];
}

/** The function's own scan and the members' as one evaluation: findings, counts, calls and look-ups summed, each finding keeping its account. */
export function mergeScans(own: ScanResult, members: readonly MemberScan[]): { evaluation: InventoryEvaluation; calls: CallCounts; lookups: ScanResult['lookups'] } {
  const findings = [...own.evaluation.findings];
  const issues = [...own.evaluation.issues];
  const counts = { ...own.evaluation.counts, byCheck: { ...own.evaluation.counts.byCheck }, byGauge: { ...own.evaluation.counts.byGauge } };
  const calls = { ...own.calls };
  const lookups = { ...own.lookups };
  const add = (check: string, n: number) => {
    counts.byCheck[check] = (counts.byCheck[check] ?? 0) + n;
  };
  for (const m of members) {
    if (m.status === 'unreachable') {
      findings.push(m.finding);
      add(m.finding.check, 1);
      continue;
    }
    const e = m.result.evaluation;
    findings.push(...e.findings);
    issues.push(...e.issues);
    counts.secrets += e.counts.secrets;
    counts.exempt += e.counts.exempt;
    counts.pendingDeletion += e.counts.pendingDeletion;
    counts.notYetCreated += e.counts.notYetCreated;
    for (const [check, n] of Object.entries(e.counts.byCheck)) add(check, n);
    for (const [gauge, n] of Object.entries(e.counts.byGauge)) counts.byGauge[gauge] = (counts.byGauge[gauge] ?? 0) + n;
    calls.ListSecrets += m.result.calls.ListSecrets;
    calls.ListSecretVersionIds += m.result.calls.ListSecretVersionIds;
    lookups.requested += m.result.lookups.requested;
    lookups.failed += m.result.lookups.failed;
    lookups.notMade += m.result.lookups.notMade;
  }
  return { evaluation: { findings, counts, issues }, calls, lookups };
}

/** Per account, for the log and the invocation's result. */
export function accountSummaries(members: readonly MemberScan[]): {
  account: string | null;
  region: string | null;
  status: 'scanned' | 'unreachable';
  secrets?: number;
  findings?: number;
  /** The member's IAM could not be read: secrets-readable-from-other-account gave no finding there. */
  authorizationDetailsError?: string;
  step?: UnreachableStep;
  error?: string;
}[] {
  return members.map((m) =>
    m.status === 'scanned'
      ? {
          account: m.account,
          region: m.region,
          status: m.status,
          secrets: m.result.evaluation.counts.secrets,
          findings: m.result.evaluation.findings.length,
          ...(m.result.otherAccountAccess?.error ? { authorizationDetailsError: m.result.otherAccountAccess.error } : {}),
        }
      : { account: m.account, region: m.region, status: m.status, step: m.step, error: m.error },
  );
}

/** The accounts a central scan covered: the central one and every member, scanned or not, each once whatever its regions. */
export function accountsCovered(own: string | null, members: readonly MemberScan[]): number {
  const others = new Set(members.map((m) => m.account).filter((a) => a !== null && a !== own));
  return 1 + others.size;
}
