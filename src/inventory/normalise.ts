import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import type { InventorySecret } from '../resources/secret';

function ms(date: Date | undefined): number | null {
  const value = date?.getTime();
  return value === undefined || Number.isNaN(value) ? null : value;
}

/** A ListSecrets entry as the checks see it; null for an entry without an ARN (nothing to name). */
export function inventorySecretOf(entry: SecretListEntry): InventorySecret | null {
  if (!entry.ARN) return null;
  const tags: Record<string, string> = {};
  for (const tag of entry.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  const rules = entry.RotationRules;
  return {
    arn: entry.ARN,
    name: entry.Name ?? entry.ARN,
    createdMs: ms(entry.CreatedDate),
    lastChangedMs: ms(entry.LastChangedDate),
    lastRotatedMs: ms(entry.LastRotatedDate),
    lastAccessedMs: ms(entry.LastAccessedDate),
    nextRotationMs: ms(entry.NextRotationDate),
    deletedMs: ms(entry.DeletedDate),
    rotationEnabled: entry.RotationEnabled === true,
    rotationRules:
      rules && (rules.AutomaticallyAfterDays !== undefined || rules.ScheduleExpression !== undefined)
        ? { automaticallyAfterDays: rules.AutomaticallyAfterDays, scheduleExpression: rules.ScheduleExpression }
        : null,
    rotationLambdaArn: entry.RotationLambdaARN || null,
    kmsKeyId: entry.KmsKeyId || null,
    owningService: entry.OwningService || null,
    primaryRegion: entry.PrimaryRegion || null,
    tags,
  };
}
