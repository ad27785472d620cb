import { parseArn } from './arn';

/** A secret as a finding names it: each part null when the source did not say. */
export interface SecretRef {
  arn: string | null;
  name: string | null;
  /** As the caller gave it: a name, a full ARN or a partial ARN. */
  id: string | null;
}

/** Secrets Manager appends "-" and six random characters to a secret's name to make its ARN. */
const ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

/** The part after "secret:" of a Secrets Manager secret ARN, or null for any other string. */
function secretResource(value: string): string | null {
  const arn = parseArn(value);
  if (arn?.service !== 'secretsmanager' || !arn.resource.startsWith('secret:')) return null;
  const rest = arn.resource.slice('secret:'.length);
  return rest.length ? rest : null;
}

export function isSecretArn(value: string): boolean {
  return secretResource(value) !== null;
}

/** The secret's name from a full ARN; null for a partial ARN that has no random suffix. */
export function nameFromArn(arn: string): string | null {
  const rest = secretResource(arn);
  if (rest === null || !ARN_SUFFIX.test(rest)) return null;
  return rest.replace(ARN_SUFFIX, '');
}

/** Region and account of a secret ARN; both null for anything else. */
export function secretArnLocation(arn: string): { region: string | null; account: string | null } {
  const parts = parseArn(arn);
  const valid = parts !== null && parts.service === 'secretsmanager' && parts.resource.startsWith('secret:') && /^\d{12}$/.test(parts.account);
  return valid ? { region: parts.region || null, account: parts.account } : { region: null, account: null };
}

/** A rotation schedule as ListSecrets or a RotateSecret call gives it, not yet validated. */
export interface RotationRulesInput {
  automaticallyAfterDays?: unknown;
  scheduleExpression?: unknown;
}

/**
 * One secret as ListSecrets describes it, reduced to what the scan checks read. Dates are epoch
 * milliseconds (null when the service did not give one): 50,000 of these must stay small.
 */
export interface InventorySecret {
  arn: string;
  name: string;
  createdMs: number | null;
  /** Any change to the secret: a new value (PutSecretValue, rotation), tags, description, key. */
  lastChangedMs: number | null;
  lastRotatedMs: number | null;
  /** The service records reads to the day: midnight UTC of the last day it was read. */
  lastAccessedMs: number | null;
  nextRotationMs: number | null;
  /** Set while the secret is scheduled for deletion. */
  deletedMs: number | null;
  rotationEnabled: boolean;
  rotationRules: RotationRulesInput | null;
  rotationLambdaArn: string | null;
  /** null: the AWS managed key aws/secretsmanager. */
  kmsKeyId: string | null;
  /** e.g. "rds" for an RDS master-user secret: that service rotates and deletes it. */
  owningService: string | null;
  /** Set on replicas (and on primaries that have replicas): the region the secret is managed in. */
  primaryRegion: string | null;
  tags: Readonly<Record<string, string>>;
}

/** What ListSecretVersionIds said about the AWSCURRENT version of one secret. */
export type CurrentVersion =
  | { createdMs: number }
  /** The secret has no AWSCURRENT version (created without a value). */
  | { createdMs: null }
  /** Not known: the look-up failed, or was not made at all (`skipped`); the reason is reported. */
  | { error: string; skipped?: true };
