import type { CloudTrailRecord } from '../../events/record';
import type { SecretRef } from '../../events/secret';

/**
 * Secrets managed by another service are named "<service>!..." (e.g. "rds!db-1234") and are
 * deleted by that service when it removes the resource. Only that service's own call is routine;
 * a person deleting a managed secret is not. Returns the owning service's principal, or null.
 */
export function deletedByOwningService(record: CloudTrailRecord, secret: SecretRef): string | null {
  const invokedBy = record.userIdentity?.invokedBy;
  const prefix = /^([a-z0-9-]+)!/.exec(secret.name ?? '')?.[1];
  if (!invokedBy || !prefix) return null;
  return invokedBy === `${prefix}.amazonaws.com` ? invokedBy : null;
}

/** `recoveryWindowInDays` absent means the API default, 30. */
export function recoveryWindowDays(record: CloudTrailRecord): number {
  const value = record.requestParameters.recoveryWindowInDays;
  const days = typeof value === 'string' ? Number(value) : value;
  return typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : 30;
}

export function isForceDelete(record: CloudTrailRecord): boolean {
  const value = record.requestParameters.forceDeleteWithoutRecovery;
  return value === true || value === 'true';
}
