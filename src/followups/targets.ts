import type { Finding } from '../findings/finding';

/** The findings that carry a verdict on a new policy (the denied and deleted ones do not). */
const VERDICT_CHECKS = new Set(['secret-policy-public', 'secret-policy-cross-account', 'secret-policy-changed']);

/** What confirmWithAccessAnalyzer looks at: every verdict on a new policy. */
export function isPolicyVerdict(finding: Finding): boolean {
  return VERDICT_CHECKS.has(finding.check);
}

/** What remediatePublicPolicy acts on. */
export function isPublicPolicy(finding: Finding): boolean {
  return finding.check === 'secret-policy-public';
}
