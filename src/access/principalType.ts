import type { Principal } from '../policy/types';
import { parseArn } from '../resources/arn';
import type { PrincipalType } from './types';

/** The type of a principal named in a policy, from its ARN or its kind. */
export function principalTypeOf(principal: Principal): PrincipalType {
  switch (principal.kind) {
    case 'any':
      return 'Anyone';
    case 'service':
      return 'AwsService';
    case 'federated':
      return 'Federated';
    case 'account':
      return arnType(principal.value);
    default:
      return 'AwsPrincipal';
  }
}

export function arnType(value: string): PrincipalType {
  if (/^\d{12}$/.test(value)) return 'AwsAccount';
  const arn = parseArn(value);
  if (!arn) return 'AwsPrincipal';
  if (arn.service === 'iam' && arn.resource === 'root') return 'AwsAccount';
  if (arn.service === 'iam' && arn.resource.startsWith('role/')) return 'AwsIamRole';
  if (arn.service === 'iam' && arn.resource.startsWith('user/')) return 'AwsIamUser';
  if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) return 'AwsStsAssumedRole';
  if (arn.service === 'sts' && arn.resource.startsWith('federated-user/')) return 'AwsStsFederatedUser';
  return 'AwsPrincipal';
}

/** The principal names the whole account (its id or its root), not one identity in it. */
export function namesWholeAccount(principal: Principal): boolean {
  return principal.kind === 'account' && arnType(principal.value) === 'AwsAccount';
}

/**
 * The principal of a policy stands for the identity `arn` of account `account`: the same ARN
 * (IAM compares them case-insensitively), its account, or anyone.
 */
export function principalCovers(principal: Principal, arn: string, account: string | null): boolean {
  if (principal.kind === 'any') return true;
  if (principal.kind !== 'account') return false;
  if (namesWholeAccount(principal)) return principal.account === account;
  return principal.value.toLowerCase() === arn.toLowerCase();
}
