import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { STSClient } from '@aws-sdk/client-sts';
import { ConfigError, type Config } from '../config/config';
import { memberAccountsOf, type CentralScanDeps } from './centralScan';
import { isScanRoleName } from './scanRoleName';

/**
 * STS's client, its module loaded at the first call (from the runtime's SDK): the scan function's
 * cold start does not pay for it, and only its send is used.
 */
function lazyStsClient(): STSClient {
  let client: Promise<STSClient> | undefined;
  const send = async (command: Parameters<STSClient['send']>[0]) => {
    client ??= import('@aws-sdk/client-sts').then((m) => new m.STSClient(AWS_CLIENT_OPTIONS));
    return (await client).send(command);
  };
  return { send } as unknown as STSClient;
}

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
    sts: lazyStsClient(),
    roleName,
    region: env.AWS_REGION ?? null,
    regions: config.scanRegions,
    ...('organization' in members && organizations ? { organizations: organizations() } : {}),
  };
}
