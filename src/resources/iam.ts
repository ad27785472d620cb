import { parseArn } from './arn';
import type { ResourceRef } from './resource';

export type IamPrincipalType = 'AwsIamRole' | 'AwsIamUser' | 'AwsIamGroup';

/** The request parameter that names the principal of each kind, and its ARN's resource prefix. */
const PRINCIPAL_KINDS: Record<IamPrincipalType, { parameter: string; arnPrefix: string; cli: string }> = {
  AwsIamRole: { parameter: 'roleName', arnPrefix: 'role', cli: 'role' },
  AwsIamUser: { parameter: 'userName', arnPrefix: 'user', cli: 'user' },
  AwsIamGroup: { parameter: 'groupName', arnPrefix: 'group', cli: 'group' },
};

/** IAM names: letters, digits and +=,.@_- (paths are not part of the name). */
const IAM_NAME = /^[\w+=,.@-]{1,128}$/;

/**
 * A role, user or group named in an IAM request. Its ARN is built from the account when the name
 * is a valid IAM name; a principal with a path has a longer ARN that the request does not give, so
 * the ARN is what the finding can say, and the name is what commands use.
 */
export function iamPrincipal(type: IamPrincipalType, name: string, account: string | null, partition = 'aws'): ResourceRef {
  const arn = account && IAM_NAME.test(name) ? `arn:${partition}:iam::${account}:${PRINCIPAL_KINDS[type].arnPrefix}/${name}` : null;
  return { type, arn, name, id: name };
}

/** The principal an Attach*Policy / Put*Policy request names: the first of roleName, userName, groupName it holds. */
export function principalOfRequest(request: Record<string, unknown>, account: string | null, partition = 'aws'): ResourceRef | null {
  for (const [type, kind] of Object.entries(PRINCIPAL_KINDS) as [IamPrincipalType, (typeof PRINCIPAL_KINDS)[IamPrincipalType]][]) {
    const name = request[kind.parameter];
    if (typeof name === 'string' && name.length > 0) return iamPrincipal(type, name, account, partition);
  }
  return null;
}

/** "role", "user", "group": the word in IAM's CLI commands (detach-role-policy, delete-user-policy). */
export function cliNoun(type: IamPrincipalType): string {
  return PRINCIPAL_KINDS[type].cli;
}

/** The CLI option that names a principal of this type: --role-name, --user-name, --group-name. */
export function cliNameOption(type: IamPrincipalType): string {
  return `--${PRINCIPAL_KINDS[type].cli}-name`;
}

export function isIamPrincipalType(type: string): type is IamPrincipalType {
  return Object.hasOwn(PRINCIPAL_KINDS, type);
}

/** A managed policy by ARN: arn:aws:iam::aws:policy/AdministratorAccess, arn:aws:iam::111122223333:policy/path/name. */
export interface ManagedPolicyRef extends ResourceRef {
  type: 'AwsIamPolicy';
  /** The AWS managed policies live in account "aws". */
  awsManaged: boolean;
}

export function managedPolicy(arn: string): ManagedPolicyRef | null {
  const parts = parseArn(arn);
  if (parts?.service !== 'iam' || !parts.resource.startsWith('policy/')) return null;
  const name = parts.resource.slice(parts.resource.lastIndexOf('/') + 1);
  if (!name) return null;
  return { type: 'AwsIamPolicy', arn, name, id: arn, awsManaged: parts.account === 'aws' };
}
