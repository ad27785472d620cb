import type { FollowUpDeclaration } from '../monitors/monitor';

/** confirmWithAccessAnalyzer: IAM Access Analyzer's second opinion on every verdict on a new policy. */
export const accessAnalyzerOpinion: FollowUpDeclaration = {
  name: 'accessAnalyzer',
  enabledBy: 'confirmWithAccessAnalyzer',
  label: 'policy-verdict',
  // CheckNoPublicAccess has no resource type: "*" is its only possible scope.
  permissions: [{ Sid: 'CheckNoPublicAccess', Action: 'access-analyzer:CheckNoPublicAccess', Resource: '*' }],
  async load(_config, applies) {
    return (await import('./accessAnalyzerFollowUp')).accessAnalyzerFollowUp(applies);
  },
};
