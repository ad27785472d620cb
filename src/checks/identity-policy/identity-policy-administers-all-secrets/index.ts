import type { EventCheck } from '../../check';
import { identityGrantCheck } from '../grantCheck';

export const identityPolicyAdministersAllSecrets: EventCheck = identityGrantCheck(
  {
    id: 'identity-policy-administers-all-secrets',
    title: 'Identity policy lets a principal administer every secret',
    description:
      'An IAM role, user or group was given an identity policy that allows, on every secret of the account, an action that opens a secret to others or destroys it: PutResourcePolicy, DeleteResourcePolicy, DeleteSecret, PutSecretValue, UpdateSecret or StopReplicationToReplica. Whoever can use that principal can share, overwrite or delete every secret.',
    severityRule: 'HIGH; MEDIUM when every such statement has a condition on the secret (tags, name, secret id). Deny statements of the same policy are credited.',
  },
  'administers',
);
