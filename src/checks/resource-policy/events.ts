import type { ConfigKey } from '../../config/config';
import type { CheckEvents } from '../check';

/** Policy changes, successful or refused (a refused attempt is a finding too): write calls, one rule for the family. */
export function policyChangeEvents(...eventNames: string[]): CheckEvents[] {
  return [{ rule: 'secret-policy-change', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames }];
}

/** What a verdict on a new policy reads: who counts as trusted besides the owner. */
export const VERDICT_SETTINGS: readonly ConfigKey[] = ['trustedAccounts', 'trustedOrgId'];
