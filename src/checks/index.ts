import { deletionChecks } from './deletion';
import type { CheckMetadata } from './types';

/** Every check family, in catalogue order. */
export const checkFamilies: readonly { name: string; checks: readonly CheckMetadata[] }[] = [{ name: 'Deletion', checks: deletionChecks }];
