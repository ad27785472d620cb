import type { EventCheck } from '../types';
import { deletedSecretAccessed } from './deletedSecretAccessed';
import { secretDeletionDenied } from './secretDeletionDenied';
import { secretDeletionScheduled } from './secretDeletionScheduled';
import { secretForceDeleted } from './secretForceDeleted';
import { secretRestored } from './secretRestored';

export const deletionChecks: readonly EventCheck[] = [
  secretForceDeleted,
  secretDeletionScheduled,
  secretDeletionDenied,
  secretRestored,
  deletedSecretAccessed,
];
