import type { CloudTrailRecord } from '../events/record';
import type { SecretRef } from '../events/secret';

/**
 * Secrets managed by another service are named "<service>!..." (e.g. "rds!db-1234"), and that
 * service deletes and rotates them itself. Only that service's own call is routine; a person doing
 * the same to a managed secret is not. Returns the owning service's principal, or null.
 */
export function calledByOwningService(record: CloudTrailRecord, secret: SecretRef): string | null {
  const invokedBy = record.userIdentity?.invokedBy;
  const prefix = /^([a-z0-9-]+)!/.exec(secret.name ?? '')?.[1];
  if (!invokedBy || !prefix) return null;
  return invokedBy === `${prefix}.amazonaws.com` ? invokedBy : null;
}
