import { SECRETS_OF_THIS_ACCOUNT, type FollowUpDeclaration } from '../monitors/monitor';

/** remediatePublicPolicy: the statements that make a secret public are removed, the rest written back. */
export const publicPolicyRemediation: FollowUpDeclaration = {
  name: 'autoRemediation',
  enabledBy: 'remediatePublicPolicy',
  label: 'public-policy',
  permissions: [
    { Sid: 'ReadOrRemovePolicy', Action: ['secretsmanager:GetResourcePolicy', 'secretsmanager:DeleteResourcePolicy'], Resource: SECRETS_OF_THIS_ACCOUNT },
    // The function can only write a policy that Secrets Manager itself checks is not public.
    {
      Sid: 'RewritePolicyBlockingPublicAccess',
      Action: 'secretsmanager:PutResourcePolicy',
      Resource: SECRETS_OF_THIS_ACCOUNT,
      Condition: { Bool: { 'secretsmanager:BlockPublicPolicy': 'true' } },
    },
  ],
  async load(config, applies) {
    return (await import('./remediationFollowUp')).remediationFollowUp(config, applies);
  },
};
