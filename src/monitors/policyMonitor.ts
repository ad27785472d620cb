import { accessAnalyzerOpinion } from '../followups/accessAnalyzer';
import { publicPolicyRemediation } from '../followups/remediation';
import type { MonitorDeclaration } from './monitor';

export const policyMonitor: MonitorDeclaration = {
  name: 'policyMonitor',
  description: 'SecretWatch resource-policy checks (PutResourcePolicy, DeleteResourcePolicy)',
  handler: 'handlers/policyMonitor.handler',
  // The second opinion first, on the policy as the event shows it; then the remediation, on the
  // policy as it is now.
  followUps: [accessAnalyzerOpinion, publicPolicyRemediation],
};
