import type { AuthorizationDetailsPage, GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from './types';

/** An identity-based policy as the analysis needs it: where it comes from and its document. */
export interface PolicySource {
  /** Inline: its name; managed: its ARN. */
  policy: string;
  policyType: 'inline' | 'managed';
  /** The group a user has it through, or null. */
  group: string | null;
  /** The key its evaluation is cached under: a managed policy is evaluated once for all who have it. */
  cacheKey: string;
  /** URL-encoded JSON as IAM returns it; null when the managed policy is missing from the details. */
  document: string | null;
}

/** Every page of GetAccountAuthorizationDetails merged and indexed. */
export class AuthorizationDetails {
  readonly users: UserDetail[] = [];
  readonly roles: RoleDetail[] = [];
  private readonly groups = new Map<string, GroupDetail>();
  private readonly policies = new Map<string, ManagedPolicyDetail>();

  constructor(pages: readonly AuthorizationDetailsPage[]) {
    for (const page of pages) {
      for (const user of page.UserDetailList ?? []) this.users.push(user);
      for (const role of page.RoleDetailList ?? []) this.roles.push(role);
      for (const group of page.GroupDetailList ?? []) if (group.GroupName) this.groups.set(group.GroupName, group);
      for (const policy of page.Policies ?? []) if (policy.Arn) this.policies.set(policy.Arn, policy);
    }
  }

  /** The default version's document of a managed policy, or null when the details do not hold it. */
  managedDocument(arn: string): string | null {
    const policy = this.policies.get(arn);
    if (!policy) return null;
    const versions = policy.PolicyVersionList ?? [];
    const current = versions.find((v) => v.IsDefaultVersion === true) ?? versions.find((v) => v.VersionId !== undefined && v.VersionId === policy.DefaultVersionId);
    return current?.Document ?? null;
  }

  group(name: string): GroupDetail | undefined {
    return this.groups.get(name);
  }

  /** A role's or a user's identity policies: its own inline and attached ones, and for a user its groups'. */
  policiesOf(principal: RoleDetail | UserDetail, arn: string): PolicySource[] {
    const own = 'RolePolicyList' in principal ? principal.RolePolicyList : (principal as UserDetail).UserPolicyList;
    const sources = [...this.inline(own, arn, null), ...this.attached(principal.AttachedManagedPolicies, null)];
    for (const name of (principal as UserDetail).GroupList ?? []) {
      const group = this.groups.get(name);
      if (!group) continue;
      sources.push(...this.inline(group.GroupPolicyList, group.Arn ?? name, name), ...this.attached(group.AttachedManagedPolicies, name));
    }
    return sources;
  }

  private inline(list: { PolicyName?: string; PolicyDocument?: string }[] | undefined, owner: string, group: string | null): PolicySource[] {
    return (list ?? []).map((p) => ({
      policy: p.PolicyName ?? '(unnamed)',
      policyType: 'inline',
      group,
      cacheKey: `inline ${owner} ${p.PolicyName ?? ''}`,
      document: p.PolicyDocument ?? null,
    }));
  }

  private attached(list: { PolicyArn?: string }[] | undefined, group: string | null): PolicySource[] {
    return (list ?? [])
      .filter((p): p is { PolicyArn: string } => typeof p.PolicyArn === 'string')
      .map((p) => ({ policy: p.PolicyArn, policyType: 'managed', group, cacheKey: `managed ${p.PolicyArn}`, document: this.managedDocument(p.PolicyArn) }));
  }
}
