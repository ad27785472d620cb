import type { MonitorDeclaration } from './monitor';

/** Managed policies of this account and AWS's own (account "aws"): the only ones an event here can name. */
const POLICIES = [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/*' }, { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/*' }];

export const identityMonitor: MonitorDeclaration = {
  name: 'identityMonitor',
  description: 'SecretWatch identity-policy checks (inline and attached IAM policies, new default versions)',
  handler: 'handlers/identityMonitor.handler',
  // IAM is global: EventBridge delivers its events in us-east-1 only.
  regions: ['us-east-1'],
  deployParameter: 'identityMonitor',
  // Reading policies, and nothing else of IAM: the document an attachment or a version names, the
  // versions (to undo a new default) and the principals a policy is attached to.
  permissions: [{ Sid: 'ReadManagedPolicies', Action: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:ListEntitiesForPolicy'], Resource: POLICIES }],
  recordContext: {
    async load() {
      return (await import('../runtime/policyReader')).iamPolicyReader();
    },
  },
};
