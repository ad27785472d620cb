import type { RotationRulesInput } from '../checks/rotation/schedule';

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
