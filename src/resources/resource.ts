/**
 * What a finding is about, by the resource type names of the AWS Security Finding Format, so that
 * a finding reads the same in Security Hub as in an alert.
 */
export const RESOURCE_TYPES = ['AwsSecretsManagerSecret', 'AwsIamRole', 'AwsIamUser', 'AwsIamGroup', 'AwsIamPolicy', 'AwsAccount'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface ResourceRef {
  type: ResourceType;
  arn: string | null;
  name: string | null;
  /** As the source gave it: a name, an ARN, an account id. */
  id: string | null;
}

/** How a resource is named to a person: its name, else what the source gave, else its ARN. */
export function resourceLabel(resource: ResourceRef): string {
  return resource.name ?? resource.id ?? resource.arn ?? 'unknown resource';
}

const KIND: Record<ResourceType, string> = {
  AwsSecretsManagerSecret: 'Secret',
  AwsIamRole: 'Role',
  AwsIamUser: 'User',
  AwsIamGroup: 'Group',
  AwsIamPolicy: 'Policy',
  AwsAccount: 'Account',
};

/** The word a message puts before the resource's name: "Secret", "Role", "Account". */
export function resourceKind(resource: ResourceRef): string {
  return KIND[resource.type] ?? 'Resource';
}
