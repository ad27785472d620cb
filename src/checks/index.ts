import { scanAccountUnreachable } from './central/accountUnreachable';
import { deletionChecks } from './deletion';
import { inventoryChecks } from './inventory';
import { policyChecks } from './policy';
import { rotationChecks } from './rotation';
import type { CheckMetadata } from './types';

/** Every check family, in catalogue order. */
export const checkFamilies: readonly { name: string; checks: readonly CheckMetadata[] }[] = [
  { name: 'Deletion', checks: deletionChecks },
  { name: 'Resource policy', checks: policyChecks },
  { name: 'Rotation', checks: rotationChecks },
  { name: 'Inventory scan', checks: inventoryChecks },
  { name: 'Central scan', checks: [scanAccountUnreachable] },
];

const byId = new Map(checkFamilies.flatMap((family) => family.checks.map((check) => [check.id, check] as const)));

/** A check's own metadata by id (renderers say what a finding means with its description). */
export function checkById(id: string): CheckMetadata | undefined {
  return byId.get(id);
}
