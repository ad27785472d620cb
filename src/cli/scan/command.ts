import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import cliProgress from 'cli-progress';
import type { Config } from '../../config/config';
import { createDeliveryClients } from '../../delivery/clients';
import { errorField, type Log } from '../../delivery/log';
import { deliverScan } from '../../delivery/scanDelivery';
import type { Finding } from '../../findings/finding';
import { findingJsonLine, type OutputFormat } from '../../findings/render';
import { scanFindingsMarkdown, scanFindingsTable, byUrgency } from '../../findings/scanRender';
import { atLeast, type Severity } from '../../findings/severity';
import { createInventoryClient, rateLimitsOf, type InventoryClient } from '../../inventory/client';
import { accountSummaries, memberAccountsOf, scanMembers, type MemberAccounts, type MemberScan } from '../../runtime/centralScan';
import { memberScanRoleNamePattern } from '../../runtime/scanRoleName';
import { runScan, type ScanOptions, type ScanProgress, type ScanResult } from '../../runtime/scan';
import { composeScanDelivery, totalsOf, type ScanTotals } from '../../runtime/scanComposition';
import { InterchangeWriter, isInterchangeFormat } from '../interchange';
import { EXIT, type CliIO } from '../io';
import { checkById } from '../../checks';

/** A scan finding's figure, as its check summarises it. */
function summaryOf(finding: Finding): string {
  const check = checkById(finding.check);
  return check?.kind === 'scan' && check.summary ? check.summary(finding) : '';
}

export interface ScanCommandOptions {
  config: Config;
  format: OutputFormat;
  minSeverity?: Severity;
  failOn?: Severity;
  asOf?: Date;
  region?: string;
  profile?: string;
  endpoint?: string;
  publish: boolean;
  progress: boolean;
  quiet: boolean;
  /** The member stacks' stage, for their scan role's name (default dev); with scanAccounts or scanOrganization. */
  stage?: string;
  /** The member scan role's name, when it is not secretwatch-<stage>-scan-<region>; "{region}" in it stands for the region scanned. */
  roleName?: string;
}

/** Inventories this small are listed before a bar could be drawn. */
const PROGRESS_MIN_SECRETS = 500;

function summary(totals: ScanTotals, shown: number): string {
  const { evaluation, calls, lookups } = totals;
  const c = evaluation.counts;
  return (
    `secretwatch scan: ${evaluation.findings.length} finding(s)${shown !== evaluation.findings.length ? ` (${shown} shown)` : ''} on ${c.secrets} secret(s)` +
    `${totals.accounts > 1 ? ` in ${totals.accounts} accounts` : ''} ` +
    `(${c.exempt} exempt, ${c.pendingDeletion} pending deletion${c.notYetCreated ? `, ${c.notYetCreated} created after --as-of` : ''}; ` +
    `${calls.ListSecrets} ListSecrets and ${calls.ListSecretVersionIds} ListSecretVersionIds call(s)` +
    `${lookups.failed ? `, ${lookups.failed} look-up(s) failed` : ''}${lookups.notMade ? `, ${lookups.notMade} not made` : ''})\n`
  );
}

/**
 * The member accounts, as the central inventoryScan function scans them: each one's scan role
 * assumed with the caller's credentials (the central account's, or any principal the roles trust).
 */
async function scanMemberAccountsFromCli(members: MemberAccounts, inventory: InventoryClient, opts: ScanCommandOptions, scanOptions: ScanOptions): Promise<MemberScan[]> {
  const region = opts.region ?? (await inventory.client.config.region());
  const roleName = opts.roleName ?? memberScanRoleNamePattern(opts.stage ?? 'dev');
  const sts = new STSClient({ region, profile: opts.profile, endpoint: opts.endpoint });
  const organizations = 'organization' in members ? new OrganizationsClient({ region, profile: opts.profile, endpoint: opts.endpoint }) : undefined;
  try {
    return await scanMembers(members, scanOptions, { sts, organizations, roleName, region, regions: opts.config.scanRegions, clientOptions: { endpoint: opts.endpoint } });
  } finally {
    sts.destroy();
    organizations?.destroy();
  }
}

/** One line per member account on stderr: an unreachable one always, a scanned one unless --quiet. */
function reportAccounts(members: readonly MemberScan[], io: CliIO, quiet: boolean): void {
  const regions = new Set(members.map((m) => m.region));
  const where = (a: { account: string | null; region: string | null }) => `account ${a.account}${regions.size > 1 && a.region ? ` in ${a.region}` : ''}`;
  for (const a of accountSummaries(members)) {
    if (a.status === 'unreachable') {
      io.stderr.write(`secretwatch: ${a.step === 'ListAccounts' ? "the organization's accounts could not be listed" : `${where(a)} not scanned`}: ${a.step} failed: ${a.error}\n`);
    } else if (!quiet) {
      io.stderr.write(`secretwatch scan: ${where(a)}: ${a.secrets} secret(s), ${a.findings} finding(s)\n`);
    }
    if (a.authorizationDetailsError)
      io.stderr.write(`secretwatch: ${where(a)}: roles readable from other accounts not checked: iam:GetAccountAuthorizationDetails failed: ${a.authorizationDetailsError}\n`);
  }
}

/** Progress on stderr: a counter while listing (no total is known), then a bar over the look-ups. */
function progressReporter(io: CliIO): { report: (p: ScanProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | null = null;
  let phase: ScanProgress['phase'] | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  const start = (format: string, total: number) => {
    stop();
    bar = new cliProgress.SingleBar({ stream: io.stderr as NodeJS.WriteStream, format, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
  };
  return {
    stop,
    report(p) {
      if (p.phase === 'list') {
        if (p.listed < PROGRESS_MIN_SECRETS && !bar) return;
        if (phase !== 'list') start('scan: listing secrets | {value} listed', 0);
        phase = 'list';
        bar?.setTotal(p.listed);
        bar?.update(p.listed);
      } else {
        if (p.total === 0) return stop();
        if (phase !== 'versions') start('scan: AWSCURRENT versions [{bar}] {value}/{total}', p.total);
        phase = 'versions';
        bar?.update(p.done);
      }
    },
  };
}

function stderrLog(io: CliIO): Log {
  const write =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      if (level === 'error') io.stderr.write(`secretwatch: ${message}${extra.length ? ` ${JSON.stringify(Object.assign({}, ...extra))}` : ''}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * `secretwatch scan`: the inventoryScan function's scan against the account of the credentials
 * chain (or --endpoint), and with scanAccounts or scanOrganization (--accounts) the member
 * accounts too, printed; with --publish, also its gauges, its findings on the bus and a full
 * digest, as the function would send them.
 */
export async function runScanCommand(opts: ScanCommandOptions, io: CliIO): Promise<number> {
  const now = new Date();
  if (opts.publish && opts.asOf) {
    io.stderr.write('secretwatch: --publish cannot be combined with --as-of: a projection is not a measurement\n');
    return EXIT.usage;
  }
  const inventory = createInventoryClient({ region: opts.region, profile: opts.profile, endpoint: opts.endpoint, rateLimits: rateLimitsOf(opts.config) });
  const iam = new IAMClient({ region: opts.region, profile: opts.profile, endpoint: opts.endpoint });
  const progress = opts.progress ? progressReporter(io) : null;
  const members = memberAccountsOf(opts.config);
  let result: ScanResult;
  let memberScans: MemberScan[] | null = null;
  try {
    result = await runScan(inventory, { config: opts.config, now, asOf: opts.asOf, onProgress: progress?.report }, iam);
    progress?.stop();
    if (members) memberScans = await scanMemberAccountsFromCli(members, inventory, opts, { config: opts.config, now, asOf: opts.asOf });
  } catch (error) {
    progress?.stop();
    const { name, message } = errorField(error);
    io.stderr.write(`secretwatch: scan failed: ${name}: ${message}\n`);
    return EXIT.badInput;
  } finally {
    progress?.stop();
    inventory.client.destroy();
    iam.destroy();
  }

  const totals = totalsOf(result, memberScans);
  const { findings, issues } = totals.evaluation;
  const shown = opts.minSeverity ? findings.filter((f) => atLeast(f.severity, opts.minSeverity as Severity)) : findings;
  let interchangeSkipped = 0;
  if (opts.format === 'json') io.stdout.write(byUrgency(shown).map(findingJsonLine).join(''));
  else if (isInterchangeFormat(opts.format)) {
    const writer = new InterchangeWriter(opts.format, io, result.judgedAt);
    for (const finding of byUrgency(shown)) writer.write(finding);
    writer.end();
    interchangeSkipped = writer.skipped;
  } else if (opts.format === 'table') io.stdout.write(scanFindingsTable(shown, summaryOf, io.stdout.columns ?? 160));
  else io.stdout.write(scanFindingsMarkdown(shown, summaryOf));

  for (const issue of issues) io.stderr.write(`secretwatch: ${issue.name}: tag ${issue.tag}=${JSON.stringify(issue.value)} ${issue.message}\n`);
  if (opts.asOf) {
    io.stderr.write(
      `secretwatch: judged as of ${result.judgedAt.toISOString()}${result.projected ? `, assuming the scheduled rotations of ${result.projected} secret(s) happen on time` : ''}` +
        `${opts.asOf.getTime() < now.getTime() ? "; the inventory is today's, so changes made since then count as made" : ''}\n`,
    );
  }
  const iamError = result.otherAccountAccess?.error ?? null;
  if (iamError) io.stderr.write(`secretwatch: roles readable from other accounts not checked: iam:GetAccountAuthorizationDetails failed: ${iamError}\n`);
  if (memberScans) reportAccounts(memberScans, io, opts.quiet);
  if (!opts.quiet) io.stderr.write(summary(totals, shown.length));

  const unreachable = memberScans?.some((m) => m.status === 'unreachable' || Boolean(m.result.otherAccountAccess?.error)) ?? false;
  let exitCode: number = totals.lookups.failed || totals.lookups.notMade || unreachable || iamError || interchangeSkipped ? EXIT.badInput : EXIT.ok;
  if (opts.publish) {
    const clients = createDeliveryClients({ region: opts.region, endpoint: opts.endpoint, profile: opts.profile, securityHub: opts.config.securityHub });
    const outcome = composeScanDelivery(result, memberScans, totals, { config: opts.config, now, region: result.region, digest: 'full' });
    try {
      const report = await deliverScan(outcome, clients, opts.config, stderrLog(io), now);
      io.stderr.write(
        `secretwatch: published ${report.metricsFailed ? 'no metrics (failed)' : `the gauges to ${opts.config.metricNamespace}`}` +
          `${report.digestPublished ? ', a full digest to the alert topic' : ', no digest (no alertTopicArn)'}` +
          `${opts.config.findingsBusName ? `, ${report.putOnBus} finding(s) to ${opts.config.findingsBusName}` : ', nothing to a bus (no findingsBusName)'}\n`,
      );
      if (report.metricsFailed) exitCode = EXIT.publishFailed;
    } catch (error) {
      const { name, message } = errorField(error);
      io.stderr.write(`secretwatch: publishing failed: ${name}: ${message}\n`);
      exitCode = EXIT.publishFailed;
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  }
  if (opts.failOn && shown.some((f) => atLeast(f.severity, opts.failOn as Severity))) return EXIT.failOn;
  return exitCode;
}
