import { resourceLabel } from '../resources/resource';
import { WEEKDAYS, type Config } from '../config/config';
import type { Finding } from './finding';
import { atLeast, compareSeverity, SEVERITIES, type Severity } from './severity';
import { safeLine } from './safeText';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The stretch of time one scan answers for: [now - scanIntervalHours, now). Consecutive scheduled
 * scans tile time with these windows, so every moment falls in exactly one scan's window.
 */
export interface ScanWindow {
  fromMs: number;
  toMs: number;
}

export function scanWindow(now: Date, intervalHours: number): ScanWindow {
  return { fromMs: now.getTime() - intervalHours * HOUR_MS, toMs: now.getTime() };
}

/** The moment a scan finding's secret crossed the check's threshold (details.nonCompliantSince). */
export function nonCompliantSinceMs(finding: Finding): number | null {
  const value = finding.details.nonCompliantSince;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? null : ms;
}

/**
 * "Became non-compliant since the previous scan", without state: the crossing falls in this scan's
 * window. A check raises a finding only once its threshold is strictly behind the clock, and the
 * windows are half-open the same way, so each (secret, check) is new in exactly one scan.
 */
export function isNewInWindow(finding: Finding, window: ScanWindow): boolean {
  const since = nonCompliantSinceMs(finding);
  return since !== null && since >= window.fromMs && since < window.toMs;
}

/** The scan whose window holds midnight UTC starting fullDigestWeekday sends the full digest: one a week. */
export function isFullDigestScan(window: ScanWindow, weekday: Config['fullDigestWeekday']): boolean {
  const target = WEEKDAYS.indexOf(weekday);
  let midnight = Math.ceil(window.fromMs / DAY_MS) * DAY_MS;
  for (; midnight < window.toMs; midnight += DAY_MS) if (new Date(midnight).getUTCDay() === target) return true;
  return false;
}

export interface DigestEntry {
  severity: Severity;
  check: string;
  secret: string;
  arn: string | null;
  /** The finding's account: in a central scan, the member's. */
  account: string | null;
  title: string;
  nonCompliantSince: string | null;
  isNew: boolean;
}

export interface Digest {
  type: 'secretwatch-scan-digest';
  /** "new": only findings new since the previous scan; "full": the weekly list of every finding. */
  scope: 'new' | 'full';
  /** The account that scanned (in a central scan, the central one). */
  account: string | null;
  region: string | null;
  /** Accounts the scan covered: 1, or in a central scan the central one and each member, scanned or not. */
  accounts: number;
  scannedAt: string;
  window: { from: string; to: string };
  secrets: number;
  /** All findings of the scan, and the new ones, whatever the notification threshold. */
  findings: number;
  newFindings: number;
  bySeverity: Partial<Record<Severity, number>>;
  byCheck: Record<string, number>;
  /** At or above notifyMinSeverity, most severe first, the longest non-compliant first. */
  entries: DigestEntry[];
  /** Entries left out to keep the notification within SNS's size limit. */
  omitted: number;
  notifyMinSeverity: Severity;
}

export interface DigestInput {
  findings: readonly Finding[];
  newFindings: ReadonlySet<Finding>;
  scope: Digest['scope'];
  secrets: number;
  account: string | null;
  region: string | null;
  /** Default 1: the scan's own account only. */
  accounts?: number;
  window: ScanWindow;
  notifyMinSeverity: Severity;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Plain code-unit order: ISO dates sort right, and 50,000 localeCompare calls are not free. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byUrgency(a: DigestEntry, b: DigestEntry): number {
  return compareSeverity(a.severity, b.severity) || compareText(a.nonCompliantSince ?? '\uffff', b.nonCompliantSince ?? '\uffff') || compareText(a.secret, b.secret);
}

/** The digest of one scan, every listed entry included (the notification trims it to size). */
export function buildDigest(input: DigestInput): Digest {
  const bySeverity: Partial<Record<Severity, number>> = {};
  const byCheck: Record<string, number> = {};
  for (const f of input.findings) {
    bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
  }
  const listed = input.scope === 'full' ? input.findings : input.findings.filter((f) => input.newFindings.has(f));
  const entries = listed
    .filter((f) => atLeast(f.severity, input.notifyMinSeverity))
    .map(
      (f): DigestEntry => ({
        severity: f.severity,
        check: f.check,
        secret: resourceLabel(f.resource),
        arn: f.resource.arn,
        account: f.account,
        title: f.title,
        nonCompliantSince: typeof f.details.nonCompliantSince === 'string' ? f.details.nonCompliantSince : null,
        isNew: input.newFindings.has(f),
      }),
    )
    .sort(byUrgency);
  return {
    type: 'secretwatch-scan-digest',
    scope: input.scope,
    account: input.account,
    region: input.region,
    accounts: input.accounts ?? 1,
    scannedAt: iso(input.window.toMs),
    window: { from: iso(input.window.fromMs), to: iso(input.window.toMs) },
    secrets: input.secrets,
    findings: input.findings.length,
    newFindings: input.newFindings.size,
    bySeverity: Object.fromEntries(SEVERITIES.filter((s) => bySeverity[s]).map((s) => [s, bySeverity[s]])),
    byCheck,
    entries,
    omitted: 0,
    notifyMinSeverity: input.notifyMinSeverity,
  };
}

/** The severity a digest notification is filtered on: its most severe entry, INFO when it lists none. */
export function digestSeverity(digest: Digest): Severity {
  return digest.entries.reduce<Severity>((worst, e) => (compareSeverity(e.severity, worst) < 0 ? e.severity : worst), 'INFO');
}

/** A digest with only its first `keep` entries, saying how many were left out. */
export function trimDigest(digest: Digest, keep: number): Digest {
  if (digest.entries.length <= keep) return digest;
  return { ...digest, entries: digest.entries.slice(0, keep), omitted: digest.omitted + digest.entries.length - keep };
}

function when(isoText: string): string {
  return isoText.replace('T', ' ').replace(/:\d{2}Z$/, ' UTC');
}

/** Where the scan looked: "111122223333 eu-west-1", or "3 accounts in eu-west-1" for a central scan. */
export function digestWhere(digest: Digest): string {
  if (digest.accounts > 1) return `${digest.accounts} accounts${digest.region ? ` in ${digest.region}` : ''}`;
  return [digest.account, digest.region].filter(Boolean).join(' ');
}

/** The email body: what is new (or everything, weekly), the totals, and where the rest is. */
export function digestText(digest: Digest): string {
  const many = digest.accounts > 1;
  const where = many ? `${digestWhere(digest)} (central account ${digest.account ?? 'unknown'})` : digestWhere(digest);
  const lines = [
    digest.scope === 'full'
      ? `Weekly SecretWatch digest for ${where || 'the account'}: ${digest.findings} finding(s) on ${digest.secrets} secret(s), ${digest.newFindings} new since the previous scan.`
      : `SecretWatch scan of ${where || 'the account'}: ${digest.newFindings} finding(s) new since the previous scan (${when(digest.window.from)}); ${digest.findings} in all on ${digest.secrets} secret(s).`,
    '',
    `Scanned at ${when(digest.scannedAt)}. Listed: ${digest.notifyMinSeverity} and above${digest.scope === 'full' ? '; [new] marks the new ones' : ''}.`,
    '',
  ];
  if (digest.entries.length === 0) lines.push(digest.findings === 0 ? 'No findings: every secret is compliant.' : 'Nothing at or above the notification threshold.');
  for (const e of digest.entries) {
    lines.push(`${e.severity.padEnd(8)} ${e.check.padEnd(24)} ${many ? `${safeLine(e.account ?? 'unknown')} ` : ''}${e.isNew && digest.scope === 'full' ? '[new] ' : ''}${safeLine(e.title)}`);
  }
  if (digest.omitted) lines.push(`... and ${digest.omitted} more, left out to keep this message short: every finding is on the findings bus and in \`secretwatch scan\`.`);
  const checks = Object.entries(digest.byCheck).filter(([, n]) => n > 0);
  if (checks.length) lines.push('', `All findings by check: ${checks.map(([c, n]) => `${c} ${n}`).join(', ')}.`);
  lines.push('', 'Each finding, with the command to fix it, is on the findings bus; `secretwatch scan --format table` lists them too.', '', '-- secretwatch');
  return lines.join('\n');
}
