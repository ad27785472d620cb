import * as z from '../schema/zod';
import type { Digest } from './digest';
import type { Finding } from './finding';
import type { ResolvedFinding } from './resolution';
import { RESOURCE_TYPES } from '../resources/resource';
import { SEVERITIES } from './severity';

const text = z.string();
const nullableText = z.nullable(text);
const nonEmpty = z.string().check(z.minLength(1));

/**
 * A finding as it arrives from outside the process (an SNS message, a findings-bus event): the
 * shape of the Finding type, checked before anything renders it. Extra keys are dropped, missing
 * ones are an error: a subscriber must not guess.
 */
const secretRef = z.object({ arn: nullableText, name: nullableText, id: nullableText });

/** A finding published before findings named their resource (a deploy while one is in flight) is about its secret. */
function withResource(value: unknown): unknown {
  if (!value || typeof value !== 'object' || 'resource' in value) return value;
  const secret = (value as { secret?: unknown }).secret;
  return secret && typeof secret === 'object' ? { ...value, resource: { type: 'AwsSecretsManagerSecret', ...secret } } : value;
}

export const findingSchema = z.preprocess(
  withResource,
  z.object({
    check: nonEmpty,
    severity: z.enum(SEVERITIES),
    title: nonEmpty,
    resource: z.object({ type: z.enum(RESOURCE_TYPES), arn: nullableText, name: nullableText, id: nullableText }),
    secret: z.optional(secretRef),
    account: nullableText,
    region: nullableText,
    actor: z.nullable(z.object({ arn: nullableText, type: nullableText, sourceIp: nullableText, userAgent: nullableText })),
    event: z.nullable(z.object({ id: nullableText, name: text, time: text })),
    details: z.record(z.string(), z.unknown()),
    remediation: text,
    // Older findings in flight carry neither: channels then say less, but still deliver.
    description: z._default(text, ''),
    documentation: z._default(text, ''),
  }),
) satisfies z.ZodMiniType<Finding, unknown>;

const severity = z.enum(SEVERITIES);
const count = z.int().check(z.nonnegative());

/** A scan digest (src/findings/digest.ts) as it arrives from the alert topic. */
export const digestSchema = z.object({
  type: z.literal('secretwatch-scan-digest'),
  scope: z.enum(['new', 'full']),
  account: nullableText,
  region: nullableText,
  // Digests published before these fields existed (a deploy while one is in flight) read as one account.
  accounts: z._default(z.int().check(z.positive()), 1),
  scannedAt: text,
  window: z.object({ from: text, to: text }),
  secrets: count,
  findings: count,
  newFindings: count,
  bySeverity: z.partialRecord(severity, count),
  byCheck: z.record(z.string(), count),
  entries: z.array(
    z.object({
      severity,
      check: text,
      secret: text,
      arn: nullableText,
      account: z._default(nullableText, null),
      title: text,
      nonCompliantSince: nullableText,
      isNew: z.boolean(),
    }),
  ),
  omitted: count,
  notifyMinSeverity: severity,
}) satisfies z.ZodMiniType<Digest>;

/** A finding that closed (src/findings/resolution.ts), as it arrives from the alert topic. */
export const resolvedSchema = z.object({
  type: z.literal('secretwatch-finding-resolved'),
  id: nonEmpty,
  check: nonEmpty,
  severity,
  title: nonEmpty,
  resource: z.object({ type: z.enum(RESOURCE_TYPES), arn: nullableText, name: nullableText, id: nullableText }),
  account: text,
  region: nullableText,
  reason: text,
  event: z.nullable(z.object({ id: nullableText, name: text, time: text })),
  resolvedAt: text,
}) satisfies z.ZodMiniType<ResolvedFinding>;

/** What the alert topic carries: one finding, the digest of a scan, or a finding that closed. */
export type AlertMessage = { kind: 'finding'; finding: Finding } | { kind: 'digest'; digest: Digest } | { kind: 'resolved'; resolved: ResolvedFinding };

export class InvalidAlertMessageError extends Error {
  override readonly name = 'InvalidAlertMessageError';
}

/** Parses the JSON of an alert-topic message; anything else is an InvalidAlertMessageError that says what was wrong. */
export function parseAlertMessage(json: string): AlertMessage {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InvalidAlertMessageError('the message is not JSON');
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'secretwatch-scan-digest') {
    const digest = digestSchema.safeParse(value);
    if (!digest.success) throw new InvalidAlertMessageError(`not a scan digest: ${firstIssue(digest.error)}`);
    return { kind: 'digest', digest: digest.data };
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'secretwatch-finding-resolved') {
    const resolved = resolvedSchema.safeParse(value);
    if (!resolved.success) throw new InvalidAlertMessageError(`not a resolved finding: ${firstIssue(resolved.error)}`);
    return { kind: 'resolved', resolved: resolved.data };
  }
  const finding = findingSchema.safeParse(value);
  if (!finding.success) throw new InvalidAlertMessageError(`not a finding: ${firstIssue(finding.error)}`);
  return { kind: 'finding', finding: finding.data };
}

/** The first problem, as "path: message", for a log line that names what was wrong. */
export function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}
