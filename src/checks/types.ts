import type { Config } from '../config/config';
import type { CloudTrailRecord } from '../events/record';
import type { Finding } from '../findings/finding';
import type { Severity } from '../findings/severity';

export interface CheckContext {
  config: Config;
  now: Date;
}

/** What a check says about itself: read by the docs, the alert catalogue and the tests. */
export interface CheckMetadata {
  id: string;
  title: string;
  /** What a finding means, in one or two sentences for the reader of an alert. */
  description: string;
  /** The severities it can raise, and when: prose for the catalogue. */
  severityRule: string;
  severities: readonly Severity[];
  /** The CloudTrail eventNames it looks at (empty for scan checks). */
  eventNames: readonly string[];
}

/** A detection over one CloudTrail record. Pure: no I/O, no clock but ctx.now, no environment. */
export interface EventCheck extends CheckMetadata {
  evaluate(record: CloudTrailRecord, ctx: CheckContext): Finding | null;
}

/** Runs every check that cares about this record's eventName. At most one finding per check. */
export function runEventChecks(checks: readonly EventCheck[], record: CloudTrailRecord, ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const check of checks) {
    if (!check.eventNames.includes(record.eventName)) continue;
    const finding = check.evaluate(record, ctx);
    if (finding) findings.push(finding);
  }
  return findings;
}
