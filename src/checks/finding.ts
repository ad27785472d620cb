import type { CloudTrailRecord } from '../events/record';
import { secretOf, type SecretRef } from '../events/secret';
import { secretResource, type Finding } from '../findings/finding';
import type { ResourceRef } from '../resources/resource';
import type { Severity } from '../findings/severity';
import { catalogueEntry, type CheckMetadata } from './check';

export interface FindingParts {
  severity: Severity;
  title: string;
  details?: Record<string, unknown>;
  remediation: string;
  secret?: SecretRef;
  /** What the finding is about when it is not the record's secret (an IAM role, user, group or policy): then it names no secret. */
  resource?: ResourceRef;
}

function actorOf(record: CloudTrailRecord): Finding['actor'] {
  const identity = record.userIdentity;
  const arn = identity?.arn ?? identity?.sessionContext?.sessionIssuer?.arn ?? identity?.invokedBy ?? null;
  const type = identity?.type ?? (identity?.invokedBy ? 'AWSService' : null);
  if (!arn && !type && !record.sourceIp && !record.userAgent) return null;
  return { arn, type, sourceIp: record.sourceIp, userAgent: record.userAgent };
}

/** Everything a finding takes from its record, so that each check states only its verdict. */
export function findingFromRecord(check: CheckMetadata, record: CloudTrailRecord, parts: FindingParts): Finding {
  const secret = parts.resource ? parts.secret : (parts.secret ?? secretOf(record));
  return {
    check: check.id,
    severity: parts.severity,
    title: parts.title,
    resource: parts.resource ?? secretResource(secret as SecretRef),
    ...(secret ? { secret } : {}),
    account: record.account,
    region: record.region,
    actor: actorOf(record),
    event: { id: record.eventId, name: record.eventName, time: record.eventTime },
    details: parts.details ?? {},
    remediation: parts.remediation,
    ...aboutCheck(check),
  };
}

/** What every finding of a check says about the check, for channels that do not load checks. */
export function aboutCheck(check: CheckMetadata): Pick<Finding, 'description' | 'documentation'> {
  return { description: check.description, documentation: catalogueEntry(check.id) };
}

/** How a secret is named in titles and commands: its name when known, else what the caller gave. */
export function secretLabel(secret: SecretRef): string {
  return secret.name ?? secret.id ?? secret.arn ?? 'unknown secret';
}

/** The --secret-id value for a CLI command: the ARN is unambiguous, the name is what's left. */
export function secretIdArg(secret: SecretRef): string {
  return shellQuote(secret.arn ?? secret.id ?? secret.name ?? '<secret-id>');
}

export function regionArg(region: string | null): string {
  return region ? ` --region ${shellQuote(region)}` : '';
}

/** For a refused call: nothing changed, but who tried, and what else they did, is worth a look. */
export function reviewCallerAdvice(record: CloudTrailRecord): string {
  const who = record.userIdentity?.arn ?? record.userIdentity?.principalId ?? null;
  return who
    ? `No change was made. Confirm the attempt was expected; review the caller's other recent calls: aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=${shellQuote(who.split('/').pop() ?? who)}`
    : "No change was made. Confirm the attempt was expected and review the caller's other recent calls in CloudTrail.";
}

/** Quote only when needed so commands stay readable; names come from hostile input. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./!-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
