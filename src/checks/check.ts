import type { Config, ConfigKey } from '../config/config';
import type { CloudTrailRecord } from '../events/record';
import type { Finding } from '../findings/finding';
import type { PolicyDocumentLookup } from '../resources/policyDocuments';
import type { Severity } from '../findings/severity';

/** The folders under src/checks, in the order the alert catalogue lists them. */
export const CHECK_FAMILIES = [
  { id: 'deletion', name: 'Deletion' },
  { id: 'replication', name: 'Replication' },
  { id: 'resource-policy', name: 'Resource policy' },
  { id: 'identity-policy', name: 'Identity policy' },
  { id: 'rotation', name: 'Rotation' },
  { id: 'inventory', name: 'Inventory scan' },
  { id: 'central', name: 'Central scan' },
] as const;

export type CheckFamily = (typeof CHECK_FAMILIES)[number]['id'];

export type DetailType = 'AWS API Call via CloudTrail' | 'AWS Service Event via CloudTrail';

/**
 * The CloudTrail events a check reacts to, as EventBridge sees them. The rule that delivers them to
 * the check's function is built from these: checks that name the same rule share it.
 */
export interface CheckEvents {
  /** The EventBridge rule (secretwatch-<stage>-<rule>) that delivers these events. */
  rule: string;
  /** EventBridge's source, e.g. "aws.secretsmanager". */
  source: string;
  detailTypes: readonly DetailType[];
  eventNames: readonly string[];
  /** More conditions on the record, as EventBridge pattern fields under `detail`. */
  filter?: Readonly<Record<string, unknown>>;
  /**
   * Read-only calls (Get*, Describe*) reach a rule only in the state
   * ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, which costs more: a rule is one or the other.
   */
  readOnly?: boolean;
}

/** What a check says about itself: read by the deployment, the docs, the alert catalogue and the tests. */
export interface CheckMetadata {
  id: string;
  family: CheckFamily;
  title: string;
  /** What a finding means, in one or two sentences for the reader of an alert. */
  description: string;
  /** The severities it can raise, and when: prose for the catalogue. */
  severityRule: string;
  severities: readonly Severity[];
  /** The function that runs it (a declaration in src/monitors). */
  monitor: string;
  /** What it reacts to; empty for scan checks. */
  events: readonly CheckEvents[];
  /** The settings it reads: only these reach its function's environment. */
  settings: readonly ConfigKey[];
  /** Labels that follow-ups choose their checks by (e.g. "policy-verdict"). */
  labels?: readonly string[];
}

export interface CheckContext {
  config: Config;
  now: Date;
  /**
   * Managed policies the record names only by ARN: what the function read from IAM for this
   * record, or the shipped AWS managed policies offline. Absent: no document can be had.
   */
  policies?: PolicyDocumentLookup;
}

/** A detection over one CloudTrail record. Pure: no I/O, no clock but ctx.now, no environment. */
export interface EventCheck extends CheckMetadata {
  kind: 'event';
  evaluate(record: CloudTrailRecord, ctx: CheckContext): Finding | null;
}

/**
 * A check whose findings the scan's own code raises (an account it could not reach): metadata for
 * the catalogue and the channels, no evaluate.
 */
export interface ReportedCheck extends CheckMetadata {
  kind: 'reported';
}

/** Where a finding's check is described: the alert catalogue's entry. */
export function catalogueEntry(checkId: string): string {
  return `docs/alerts.md#${checkId}`;
}

/** "aws.secretsmanager" -> "secretsmanager.amazonaws.com": the record's eventSource for an EventBridge source. */
export function eventSourceOf(source: string): string {
  return `${source.replace(/^aws\./, '')}.amazonaws.com`;
}

function reactsTo(check: EventCheck, record: CloudTrailRecord): boolean {
  return check.events.some((e) => e.eventNames.includes(record.eventName) && eventSourceOf(e.source) === record.eventSource);
}

/** A check that threw on a record: a defect or a value it cannot handle; the record's other checks still ran. */
export interface CheckFailure {
  check: string;
  error: unknown;
}

/**
 * Runs every check that reacts to this record's service and eventName, each on its own: one that
 * throws gives no finding and is reported, and the others still run. At most one finding per check.
 */
export function runEachEventCheck(checks: readonly EventCheck[], record: CloudTrailRecord, ctx: CheckContext): { findings: Finding[]; failures: CheckFailure[] } {
  const findings: Finding[] = [];
  const failures: CheckFailure[] = [];
  for (const check of checks) {
    if (!reactsTo(check, record)) continue;
    try {
      const finding = check.evaluate(record, ctx);
      if (finding) findings.push(finding);
    } catch (error) {
      failures.push({ check: check.id, error });
    }
  }
  return { findings, failures };
}

/** As runEachEventCheck, for callers that want a check's failure as a throw (tests of one check). */
export function runEventChecks(checks: readonly EventCheck[], record: CloudTrailRecord, ctx: CheckContext): Finding[] {
  const { findings, failures } = runEachEventCheck(checks, record, ctx);
  if (failures.length) throw failures[0].error;
  return findings;
}
