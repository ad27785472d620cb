// The member stacks' scan role names and ARNs: plain text rules, loaded by the CLI's argument
// parsing without the scan (and its AWS clients) behind them.

/** Stands for the region in a scan role name: the member stacks make one role per region. */
export const REGION_PLACEHOLDER = '{region}';

/** The member stacks' scan role (serverless/organization.js names it so): one per stage and region. */
export function memberScanRoleName(stage: string, region: string): string {
  return `secretwatch-${stage}-scan-${region}`;
}

/** The scan role name for any region: secretwatch-<stage>-scan-{region}. */
export function memberScanRoleNamePattern(stage: string): string {
  return memberScanRoleName(stage, REGION_PLACEHOLDER);
}

/** A role name, its {region} filled in; a name without one is the same in every region. */
export function roleNameIn(roleName: string, region: string | null): string {
  return roleName.split(REGION_PLACEHOLDER).join(region ?? '');
}

/** An IAM role name (what CreateRole accepts) once {region} is filled in with the longest kind of region name. */
export function isScanRoleName(roleName: string): boolean {
  return /^[\w+=,.@-]{1,64}$/.test(roleNameIn(roleName, 'ap-southeast-1'));
}

/** The partition of a region's ARNs (aws-cn in China, aws-us-gov in GovCloud). */
export function partitionOf(region: string | null): string {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function memberScanRoleArn(account: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}
