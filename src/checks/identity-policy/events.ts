import type { ConfigKey } from '../../config/config';
import type { CheckEvents } from '../check';

/** The calls that put an identity policy in force: an inline policy, an attachment, a new default version. */
export const IDENTITY_POLICY_EVENT_NAMES = ['PutRolePolicy', 'PutUserPolicy', 'PutGroupPolicy', 'AttachRolePolicy', 'AttachUserPolicy', 'AttachGroupPolicy', 'SetDefaultPolicyVersion'] as const;

/**
 * IAM is global: its CloudTrail events reach EventBridge in us-east-1 only. One rule for the
 * family; a new policy version counts only when it becomes the default at once (a later
 * SetDefaultPolicyVersion is its own event). Successful and refused calls alike.
 */
export const IDENTITY_POLICY_EVENTS: CheckEvents[] = [
  { rule: 'identity-policy-change', source: 'aws.iam', detailTypes: ['AWS API Call via CloudTrail'], eventNames: IDENTITY_POLICY_EVENT_NAMES },
  {
    rule: 'identity-policy-change',
    source: 'aws.iam',
    detailTypes: ['AWS API Call via CloudTrail'],
    eventNames: ['CreatePolicyVersion'],
    filter: { requestParameters: { setAsDefault: [true] } },
  },
];

export const IDENTITY_SETTINGS: readonly ConfigKey[] = ['identityExemptPrincipals'];
