import type { AwsSecurityFinding, AwsSecurityFindingFilters, SecurityHubClient, SecurityHubClientConfig, StringFilter } from '@aws-sdk/client-securityhub';
import { parseArn } from '../resources/arn';
import { AsffMappingError, resolvedAsff, toAsff, type AsffFinding } from '../findings/asff';
import type { Finding } from '../findings/finding';
import { findingId } from '../findings/findingId';
import { resolvedFindingOf, type FindingResolution, type ResolvedFinding } from '../findings/resolution';
import type { SNSClient } from '@aws-sdk/client-sns';
import { putFindings } from './bus';
import { publishResolved } from './sns';

/** BatchImportFindings takes at most 100 findings a call. */
const MAX_IMPORT_BATCH = 100;
/** GetFindings: at most 20 values in one filter, 100 findings a page. */
const MAX_FILTER_VALUES = 20;
const MAX_PAGE = 100;
const IMPORT_CONCURRENCY = 4;

/**
 * The Security Hub SDK, loaded the first time the channel runs: bundled with every monitor, it is
 * evaluated only where securityHub is on (it is the largest client they carry).
 */
export function securityHubSdk(): Promise<typeof import('@aws-sdk/client-securityhub')> {
  return import('@aws-sdk/client-securityhub');
}

/** A Security Hub client made on first use, then kept for the container's life. */
export type LazySecurityHubClient = () => Promise<SecurityHubClient>;

export function lazySecurityHubClient(options: SecurityHubClientConfig): LazySecurityHubClient {
  let client: Promise<SecurityHubClient> | undefined;
  return () => {
    client ??= securityHubSdk().then(({ SecurityHubClient: Client }) => new Client(options));
    return client;
  };
}

export class SecurityHubImportError extends Error {
  override readonly name = 'SecurityHubImportError';
  constructor(readonly failures: { id: string; errorCode?: string; errorMessage?: string }[]) {
    super(`${failures.length} finding(s) not accepted by Security Hub: ${[...new Set(failures.map((f) => f.errorCode ?? 'error'))].join(', ')}`);
  }
}

/** Where findings go: the importing account's default product, in its region. */
export interface SecurityHubTarget {
  productArn: string;
}

function productLocation(productArn: string): { productAccount: string; productRegion: string } {
  const arn = parseArn(productArn);
  if (arn?.service !== 'securityhub' || !/^product\/\d{12}\/default$/.test(arn.resource)) {
    throw new Error(`not a default Security Hub product ARN: ${productArn}`);
  }
  return { productAccount: arn.account, productRegion: arn.region };
}

/**
 * Findings in ASFF for this product: a member's finding keeps its own account (the central account
 * imports it). One that names no account or region cannot be imported, and retrying cannot change
 * that: it is returned apart, for the log, and its other channels still carry it.
 */
export function asffFor(findings: readonly Finding[], target: SecurityHubTarget, now: Date): { asff: AsffFinding[]; unmappable: { check: string; reason: string }[] } {
  const where = productLocation(target.productArn);
  const asff: AsffFinding[] = [];
  const unmappable: { check: string; reason: string }[] = [];
  for (const finding of findings) {
    try {
      asff.push(toAsff(finding, { now, ...where }));
    } catch (error) {
      if (!(error instanceof AsffMappingError)) throw error;
      unmappable.push({ check: finding.check, reason: error.message });
    }
  }
  return { asff, unmappable };
}

/**
 * Imports findings, MAX_IMPORT_BATCH a call; throws when any was refused (BatchImportFindings
 * reports them per finding, not as an error) after every batch was tried.
 */
export async function importFindings(client: SecurityHubClient, findings: readonly AsffFinding[]): Promise<number> {
  const failures: SecurityHubImportError['failures'] = [];
  const batches: AsffFinding[][] = [];
  for (let i = 0; i < findings.length; i += MAX_IMPORT_BATCH) batches.push(findings.slice(i, i + MAX_IMPORT_BATCH));
  let imported = 0;
  const { BatchImportFindingsCommand } = await securityHubSdk();
  const send = async (batch: AsffFinding[]) => {
    const out = await client.send(new BatchImportFindingsCommand({ Findings: batch as AwsSecurityFinding[] }));
    imported += out.SuccessCount ?? 0;
    for (const f of out.FailedFindings ?? []) failures.push({ id: f.Id ?? '', errorCode: f.ErrorCode, errorMessage: f.ErrorMessage });
    if ((out.FailedCount ?? 0) > (out.FailedFindings?.length ?? 0)) failures.push({ id: batch[0].Id, errorCode: 'FailedCount' });
  };
  for (let i = 0; i < batches.length; i += IMPORT_CONCURRENCY) await Promise.all(batches.slice(i, i + IMPORT_CONCURRENCY).map(send));
  if (failures.length) throw new SecurityHubImportError(failures);
  return imported;
}

const equals = (values: readonly string[]): StringFilter[] => values.map((Value) => ({ Value, Comparison: 'EQUALS' }));

/** What an open finding of this product looks like, checked again on every record returned. */
interface OpenFilter {
  productArn: string;
  ids?: readonly string[];
  generatorIds?: readonly string[];
  accounts?: readonly string[];
  regions?: readonly string[];
}

function isOpen(record: AwsSecurityFinding, filter: OpenFilter): boolean {
  const inList = (list: readonly string[] | undefined, value: string | undefined) => !list || (value !== undefined && list.includes(value));
  return (
    record.ProductArn === filter.productArn &&
    (record.RecordState ?? 'ACTIVE') === 'ACTIVE' &&
    record.Compliance?.Status === 'FAILED' &&
    inList(filter.ids, record.Id) &&
    inList(filter.generatorIds, record.GeneratorId) &&
    inList(filter.accounts, record.AwsAccountId) &&
    inList(filter.regions, record.Region)
  );
}

/** The fields secretwatch imported, out of what GetFindings returns (which adds Security Hub's own). */
function asffOfRecord(record: AwsSecurityFinding): AsffFinding {
  const keys: (keyof AsffFinding)[] = [
    'SchemaVersion',
    'Id',
    'ProductArn',
    'GeneratorId',
    'AwsAccountId',
    'Region',
    'Types',
    'CreatedAt',
    'UpdatedAt',
    'FirstObservedAt',
    'LastObservedAt',
    'Severity',
    'Title',
    'Description',
    'Remediation',
    'SourceUrl',
    'ProductFields',
    'Resources',
    'Compliance',
    'RecordState',
    'FindingProviderFields',
  ];
  const source = record as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out as unknown as AsffFinding;
}

/**
 * The product's open (ACTIVE, FAILED) findings that match the filter. Security Hub filters on the
 * server; every record is checked again here, so a partial filter (more than 20 values are sent as
 * several queries) or a service that ignores one never closes the wrong finding.
 */
export async function openFindings(client: SecurityHubClient, filter: OpenFilter): Promise<AsffFinding[]> {
  const idChunks: (readonly string[] | undefined)[] = [];
  if (filter.ids) for (let i = 0; i < filter.ids.length; i += MAX_FILTER_VALUES) idChunks.push(filter.ids.slice(i, i + MAX_FILTER_VALUES));
  else idChunks.push(undefined);
  const found = new Map<string, AsffFinding>();
  const { GetFindingsCommand } = await securityHubSdk();
  for (const ids of idChunks) {
    const Filters: AwsSecurityFindingFilters = {
      ProductArn: equals([filter.productArn]),
      RecordState: equals(['ACTIVE']),
      ComplianceStatus: equals(['FAILED']),
      ...(ids ? { Id: equals(ids) } : {}),
      ...(filter.generatorIds && filter.generatorIds.length <= MAX_FILTER_VALUES ? { GeneratorId: equals(filter.generatorIds) } : {}),
      ...(filter.accounts && filter.accounts.length <= MAX_FILTER_VALUES ? { AwsAccountId: equals(filter.accounts) } : {}),
      ...(filter.regions && filter.regions.length <= MAX_FILTER_VALUES ? { Region: equals(filter.regions) } : {}),
    };
    let NextToken: string | undefined;
    do {
      const page = await client.send(new GetFindingsCommand({ Filters, MaxResults: MAX_PAGE, NextToken }));
      for (const record of page.Findings ?? []) if (record.Id && isOpen(record, filter)) found.set(record.Id, asffOfRecord(record));
      NextToken = page.NextToken || undefined;
    } while (NextToken);
  }
  return [...found.values()];
}

/** Closes open findings: each imported again under its Id, PASSED, ARCHIVED and RESOLVED. */
async function close(client: SecurityHubClient, closing: readonly { open: AsffFinding; resolution: Pick<FindingResolution, 'reason' | 'event'> }[], now: Date): Promise<ResolvedFinding[]> {
  if (!closing.length) return [];
  await importFindings(
    client,
    closing.map(({ open, resolution }) => resolvedAsff(open, resolution.reason, now)),
  );
  return closing.map(({ open, resolution }) => resolvedFindingOf(open, resolution, now));
}

/**
 * The findings that events fixed: those of the resolutions' subjects that are open in Security
 * Hub are closed; a subject with no open finding (never raised, or already closed) is left alone.
 */
export async function resolveSubjects(client: SecurityHubClient, target: SecurityHubTarget, resolutions: readonly FindingResolution[], now: Date): Promise<ResolvedFinding[]> {
  if (!resolutions.length) return [];
  const byId = new Map(resolutions.map((r) => [findingId(r.subject), r] as const));
  const open = await openFindings(client, { productArn: target.productArn, ids: [...byId.keys()] });
  return close(
    client,
    open.flatMap((o) => {
      const resolution = byId.get(o.Id);
      return resolution ? [{ open: o, resolution }] : [];
    }),
    now,
  );
}

/** What one scan covered: its checks, and each account and region it listed completely. */
export interface ScanScope {
  checks: readonly string[];
  /** "account/region" pairs. */
  scanned: readonly { account: string; region: string }[];
}

/**
 * After a scan: every open finding of a scan check, in an account and region the scan covered,
 * that the scan no longer raised is closed (the secret was rotated, deleted, exempted, or is read
 * again). Accounts and regions the scan could not list keep their findings open.
 */
export async function resolveUnseen(client: SecurityHubClient, target: SecurityHubTarget, scope: ScanScope, current: readonly AsffFinding[], now: Date): Promise<ResolvedFinding[]> {
  if (!scope.checks.length || !scope.scanned.length) return [];
  const covered = new Set(scope.scanned.map((s) => `${s.account}/${s.region}`));
  const seen = new Set(current.map((f) => f.Id));
  const open = await openFindings(client, {
    productArn: target.productArn,
    generatorIds: scope.checks,
    accounts: [...new Set(scope.scanned.map((s) => s.account))],
    regions: [...new Set(scope.scanned.map((s) => s.region))],
  });
  const gone = open.filter((o) => !seen.has(o.Id) && covered.has(`${o.AwsAccountId}/${o.Region}`));
  return close(
    client,
    gone.map((o) => ({ open: o, resolution: { reason: 'the inventory scan no longer finds it', event: null } })),
    now,
  );
}

/** What the Security Hub channel did in one invocation. */
export interface SecurityHubReport {
  imported: number;
  resolved: ResolvedFinding[];
  /** Findings that name no account or region: not importable, logged by the caller. */
  unmappable: { check: string; reason: string }[];
}

export interface SecurityHubChannel {
  client: LazySecurityHubClient;
  target: SecurityHubTarget;
  /** Closed findings go on the findings bus too, when there is one. */
  announce: (resolved: readonly ResolvedFinding[]) => Promise<void>;
}

/**
 * An event monitor's findings imported, and the findings its event fixed closed and announced. The
 * two touch different Ids (a check never both raises and resolves on one record), so they run at once.
 */
export async function deliverEventToSecurityHub(channel: SecurityHubChannel, findings: readonly Finding[], resolutions: readonly FindingResolution[], now: Date): Promise<SecurityHubReport> {
  const { asff, unmappable } = asffFor(findings, channel.target, now);
  const client = await channel.client();
  const [imported, resolved] = await Promise.all([asff.length ? importFindings(client, asff) : 0, resolveSubjects(client, channel.target, resolutions, now)]);
  if (resolved.length) await channel.announce(resolved);
  return { imported, resolved, unmappable };
}

/** A scan's scope before the product fills in the function's own account and region (unknown for an empty inventory). */
export interface ScanCoverage {
  checks: readonly string[];
  scanned: readonly { account: string | null; region: string | null }[];
}

/**
 * A scan's findings imported, then every open finding of its checks that it no longer raised
 * closed and announced. Sequential: the findings it raised again must be in before the look-up.
 */
export async function deliverScanToSecurityHub(channel: SecurityHubChannel, findings: readonly Finding[], coverage: ScanCoverage, now: Date): Promise<SecurityHubReport> {
  const { asff, unmappable } = asffFor(findings, channel.target, now);
  const client = await channel.client();
  const imported = asff.length ? await importFindings(client, asff) : 0;
  const { productAccount, productRegion } = productLocation(channel.target.productArn);
  const scanned = coverage.scanned.map((s) => ({ account: s.account ?? productAccount, region: s.region ?? productRegion }));
  const resolved = await resolveUnseen(client, channel.target, { checks: coverage.checks, scanned }, asff, now);
  if (resolved.length) await channel.announce(resolved);
  return { imported, resolved, unmappable };
}

/**
 * The channel, when the settings turn it on: the client, the product, and the bus that closed
 * findings are announced on. securityHub without a client is a wiring error, not a quiet no-op.
 */
export function securityHubChannelOf(
  clients: { securityHub?: LazySecurityHubClient; eventBridge: Parameters<typeof putFindings>[0]; sns: SNSClient },
  targets: { securityHub?: boolean; securityHubProductArn?: string; findingsBusName?: string; alertTopicArn?: string; slackResolved?: boolean },
  now: Date,
): SecurityHubChannel | null {
  if (!targets.securityHub) return null;
  if (!clients.securityHub || !targets.securityHubProductArn) throw new Error('securityHub is on but no Security Hub client or securityHubProductArn was given');
  const busName = targets.findingsBusName;
  const topicArn = targets.slackResolved ? targets.alertTopicArn : undefined;
  return {
    client: clients.securityHub,
    target: { productArn: targets.securityHubProductArn },
    announce: async (resolved) => {
      await Promise.all([busName ? putFindings(clients.eventBridge, busName, resolved, now) : undefined, ...(topicArn ? resolved.map((r) => publishResolved(clients.sns, topicArn, r)) : [])]);
    },
  };
}

/** The report's lines for the function's log: each closed finding, each finding Security Hub could not take. */
export function logSecurityHubReport(
  report: SecurityHubReport,
  log: { info: (m: string, e: Record<string, unknown>) => void; error: (m: string, e: Record<string, unknown>) => void },
): { imported: number; resolved: number } {
  for (const resolved of report.resolved) log.info('finding resolved', { resolved });
  for (const skipped of report.unmappable) log.error('finding not imported into Security Hub: not retried', { ...skipped });
  return { imported: report.imported, resolved: report.resolved.length };
}
