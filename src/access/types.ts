/**
 * IAM GetAccountAuthorizationDetails, as the SDK returns it (the fields read here). Pages are
 * merged before analysis: a user's group may be on one page and the group on another.
 */
export interface PolicyDetail {
  PolicyName?: string;
  PolicyDocument?: string;
}

export interface AttachedPolicy {
  PolicyName?: string;
  PolicyArn?: string;
}

export interface PermissionsBoundary {
  PermissionsBoundaryType?: string;
  PermissionsBoundaryArn?: string;
}

export interface UserDetail {
  UserName?: string;
  Arn?: string;
  UserPolicyList?: PolicyDetail[];
  GroupList?: string[];
  AttachedManagedPolicies?: AttachedPolicy[];
  PermissionsBoundary?: PermissionsBoundary;
}

export interface GroupDetail {
  GroupName?: string;
  Arn?: string;
  GroupPolicyList?: PolicyDetail[];
  AttachedManagedPolicies?: AttachedPolicy[];
}

export interface RoleDetail {
  RoleName?: string;
  Arn?: string;
  AssumeRolePolicyDocument?: string;
  RolePolicyList?: PolicyDetail[];
  AttachedManagedPolicies?: AttachedPolicy[];
  PermissionsBoundary?: PermissionsBoundary;
}

export interface ManagedPolicyDetail {
  PolicyName?: string;
  Arn?: string;
  DefaultVersionId?: string;
  PolicyVersionList?: { Document?: string; VersionId?: string; IsDefaultVersion?: boolean }[];
}

export interface AuthorizationDetailsPage {
  UserDetailList?: UserDetail[];
  GroupDetailList?: GroupDetail[];
  RoleDetailList?: RoleDetail[];
  Policies?: ManagedPolicyDetail[];
}

/** The secret as DescribeSecret returns it (the fields read here). */
export interface SecretDescription {
  ARN: string;
  Name?: string;
  KmsKeyId?: string;
  Tags?: { Key?: string; Value?: string }[];
}

/**
 * The secret's KMS key. Absent from the input when the secret uses the AWS managed key
 * aws/secretsmanager (DescribeSecret gives no KmsKeyId, or that key's alias).
 */
export interface SecretKey {
  /** The key's ARN (DescribeKey). */
  arn: string;
  /** AWS for an AWS managed key, CUSTOMER for a customer managed one (DescribeKey's KeyManager). */
  manager: 'AWS' | 'CUSTOMER';
  /** The key policy (GetKeyPolicy), or why it could not be read. */
  policy: { document: string } | { error: string };
}

export interface AccessInput {
  secret: SecretDescription;
  /** GetResourcePolicy's ResourcePolicy; null or absent when the secret has none. */
  resourcePolicy?: string | null;
  /** Every page of GetAccountAuthorizationDetails of the secret's account. */
  authorizationDetails: readonly AuthorizationDetailsPage[];
  /** Null when the secret uses the AWS managed key aws/secretsmanager. */
  key?: SecretKey | null;
}

/** What kind of principal a reader or a trusted entity is, in Security Hub's resource types where there is one. */
export type PrincipalType = 'AwsIamRole' | 'AwsIamUser' | 'AwsAccount' | 'AwsStsAssumedRole' | 'AwsStsFederatedUser' | 'AwsService' | 'Federated' | 'Anyone' | 'AwsPrincipal';

/** One statement that gives a reader GetSecretValue. */
export interface AccessGrant {
  via: 'identity' | 'resource';
  /** An inline policy's name, a managed policy's ARN, or "resource policy". */
  policy: string;
  policyType: 'inline' | 'managed' | 'resource';
  /** The group a user has the policy through; null when it is the principal's own. */
  group: string | null;
  /** e.g. Statement 0 (Sid "ReadDb"). */
  statement: string;
  /** What must still hold for the grant to work: its conditions, and the limits of other policies on it, in words. */
  conditions: string[];
}

/** Who a role's trust policy lets assume it. */
export interface TrustedEntity {
  principal: string;
  type: PrincipalType;
  /** The account the entity belongs to; null for services, public identity providers and anyone. */
  account: string | null;
  /** sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity. */
  actions: string[];
  statement: string;
  conditions: string[];
}

export interface Reader {
  /** The principal's ARN (an account id, a service name or "*" when the resource policy names one). */
  principal: string;
  type: PrincipalType;
  account: string | null;
  /** The principal belongs to another account: that account's own identity policies must also allow it. */
  otherAccount: boolean;
  via: ('identity' | 'resource')[];
  grants: AccessGrant[];
  /** For a role of the account: who may assume it. Empty otherwise. */
  assumableBy: TrustedEntity[];
  /** Why it cannot read the secret after all (the KMS key refuses it), or null. */
  blockedBy: string | null;
}

export interface AccessReport {
  secret: {
    arn: string;
    name: string;
    account: string | null;
    region: string | null;
    /** The key's ARN, or "aws/secretsmanager" for the AWS managed key. */
    kmsKey: string;
    customerManagedKey: boolean;
    hasResourcePolicy: boolean;
  };
  readers: Reader[];
  /** What the answer does not take into account. */
  notConsidered: string[];
}
