import type { EventCheck } from '../../check';
import { identityGrantCheck } from '../grantCheck';

export const identityPolicyReadsAllSecrets: EventCheck = identityGrantCheck(
  {
    id: 'identity-policy-reads-all-secrets',
    title: 'Identity policy lets a principal read every secret',
    description:
      'An IAM role, user or group was given an identity policy (inline, attached, or the new default version of a managed policy) that allows secretsmanager:GetSecretValue on every secret of the account (Resource "*", "arn:aws:secretsmanager:*" or a "secret:*" pattern of the account, or a NotResource that spares them all), through Action "*", "secretsmanager:*", "secretsmanager:Get*" or a NotAction that spares it. Whoever can use that principal can read every secret value.',
    severityRule:
      'HIGH; MEDIUM when every such statement has a condition on the secret (secretsmanager:ResourceTag/*, aws:ResourceTag/*, secretsmanager:Name, secretsmanager:SecretId). Conditions on the caller (aws:SourceIp, aws:SourceVpce, aws:MultiFactorAuthPresent) leave it HIGH and are named in the details. Deny statements of the same policy are credited.',
  },
  'reads',
);
