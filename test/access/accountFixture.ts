/**
 * Builds GetAccountAuthorizationDetails pages as IAM returns them: policy documents URL-encoded,
 * managed policies listed once under Policies with their versions, groups by name.
 */
import type { AuthorizationDetailsPage, GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '../../src/access';

export const OWNER = '111122223333';
export const OTHER = '444455556666';
export const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${OWNER}:secret:prod/db-a1B2c3`;

type Statement = Record<string, unknown>;
export const doc = (...statements: Statement[]) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
export const allowRead = (extra: Statement = {}): Statement => ({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', ...extra });
export const denyRead = (extra: Statement = {}): Statement => ({ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '*', ...extra });
export const trustAccount = (account: string, extra: Statement = {}): Statement => ({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole', ...extra });
export const trustService = (service: string): Statement => ({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });

export const roleArn = (name: string, account = OWNER) => `arn:aws:iam::${account}:role/${name}`;
export const userArn = (name: string, account = OWNER) => `arn:aws:iam::${account}:user/${name}`;
export const policyArn = (name: string) => `arn:aws:iam::${OWNER}:policy/${name}`;

interface PrincipalSpec {
  inline?: Record<string, string>;
  attached?: string[];
  boundary?: string;
}

export class Account {
  readonly roles: RoleDetail[] = [];
  readonly users: UserDetail[] = [];
  readonly groups: GroupDetail[] = [];
  readonly policies: ManagedPolicyDetail[] = [];

  role(name: string, spec: PrincipalSpec & { trust?: string } = {}): this {
    this.roles.push({
      RoleName: name,
      Arn: roleArn(name),
      AssumeRolePolicyDocument: spec.trust ?? doc(trustService('ec2.amazonaws.com')),
      RolePolicyList: Object.entries(spec.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
      AttachedManagedPolicies: (spec.attached ?? []).map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
      ...(spec.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: spec.boundary } } : {}),
    });
    return this;
  }

  user(name: string, spec: PrincipalSpec & { groups?: string[] } = {}): this {
    this.users.push({
      UserName: name,
      Arn: userArn(name),
      UserPolicyList: Object.entries(spec.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
      GroupList: spec.groups ?? [],
      AttachedManagedPolicies: (spec.attached ?? []).map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
      ...(spec.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: spec.boundary } } : {}),
    });
    return this;
  }

  group(name: string, spec: { inline?: Record<string, string>; attached?: string[] } = {}): this {
    this.groups.push({
      GroupName: name,
      Arn: `arn:aws:iam::${OWNER}:group/${name}`,
      GroupPolicyList: Object.entries(spec.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
      AttachedManagedPolicies: (spec.attached ?? []).map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').pop() })),
    });
    return this;
  }

  policy(arn: string, document: string): this {
    this.policies.push({
      PolicyName: arn.split('/').pop(),
      Arn: arn,
      DefaultVersionId: 'v2',
      // An older version that granted more: only the default one counts.
      PolicyVersionList: [
        { VersionId: 'v1', IsDefaultVersion: false, Document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) },
        { VersionId: 'v2', IsDefaultVersion: true, Document: document },
      ],
    });
    return this;
  }

  /** Two pages, split so that users and their groups, roles and their policies fall on different pages. */
  pages(): AuthorizationDetailsPage[] {
    return [
      { UserDetailList: this.users, RoleDetailList: this.roles },
      { GroupDetailList: this.groups, Policies: this.policies },
    ];
  }
}
