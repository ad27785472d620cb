import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfigError, type Config } from '../config/config';
import { isScanRoleName, memberAccountsOf, type CentralScanDeps } from './centralScan';

/**
 * Central mode: how to reach the member stacks' scan role (SCAN_ROLE_NAME, set by
 * serverless/organization.js); null when the settings name no member account. `organizations`
 * makes the client that lists the organization's accounts: only the function that plans the scan
 * lists them (and bundles that client).
 */
export function centralScanDepsFromEnv(env: Record<string, string | undefined>, config: Config, organizations?: () => OrganizationsClient | Promise<OrganizationsClient>): CentralScanDeps | null {
  const members = memberAccountsOf(config);
  if (!members) return null;
  const roleName = (env.SCAN_ROLE_NAME ?? '').trim();
  if (!isScanRoleName(roleName)) {
    throw new ConfigError('SCAN_ROLE_NAME', 'required with SCAN_ACCOUNTS or SCAN_ORGANIZATION (the member scan role name, set by the stack in mode central)');
  }
  // Organizations has one endpoint per partition (us-east-1 in aws): the SDK resolves it from any region.
  return {
    sts: new STSClient(AWS_CLIENT_OPTIONS),
    roleName,
    region: env.AWS_REGION ?? null,
    regions: config.scanRegions,
    ...('organization' in members && organizations ? { organizations: organizations() } : {}),
  };
}
