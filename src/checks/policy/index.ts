import type { EventCheck } from '../types';
import { secretPolicyChangeDenied } from './secretPolicyChangeDenied';
import { secretPolicyChanged } from './secretPolicyChanged';
import { secretPolicyCrossAccount } from './secretPolicyCrossAccount';
import { secretPolicyDeleted } from './secretPolicyDeleted';
import { secretPolicyPublic } from './secretPolicyPublic';

/** At most one of public, cross-account and changed fires for a policy: the most open of its statements. */
export const policyChecks: readonly EventCheck[] = [
  secretPolicyPublic,
  secretPolicyCrossAccount,
  secretPolicyChanged,
  secretPolicyDeleted,
  secretPolicyChangeDenied,
];
