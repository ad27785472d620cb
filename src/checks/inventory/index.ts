import { rotationMissed } from './rotationMissed';
import { rotationNotEnabled } from './rotationNotEnabled';
import { rotationOverdue } from './rotationOverdue';
import { secretDefaultKmsKey } from './secretDefaultKmsKey';
import { secretUnused } from './secretUnused';
import type { InventoryCheck } from './types';

export const inventoryChecks: readonly InventoryCheck[] = [rotationOverdue, rotationNotEnabled, rotationMissed, secretUnused, secretDefaultKmsKey];
