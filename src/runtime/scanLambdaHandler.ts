import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { ConfigError, configFromEnv, envName } from '../config/config';
import { createDeliveryClients } from '../delivery/clients';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { createInventoryClient, rateLimitsOf } from '../inventory/client';
import { isScanRoleName, memberAccountsOf, type CentralScanDeps } from './centralScan';
import { handleInventoryScan, type InventoryScanResult } from './inventoryScan';

/** Kept back from the function's timeout for the gauges, the digest and tens of thousands of findings on the bus. */
export const DELIVERY_RESERVE_MS = 120_000;

/**
 * The inventoryScan Lambda handler. Configuration is read and validated at cold start, like the
 * event monitors'; the version look-ups stop starting DELIVERY_RESERVE_MS before the timeout so
 * that a huge inventory is still delivered (the secrets not looked up are judged by their
 * ListSecrets dates, and the log says how many).
 */
export function createInventoryScanHandler(env: Record<string, string | undefined>) {
  const config = configFromEnv(env);
  if (!config.alertTopicArn) throw new ConfigError(envName('alertTopicArn'), 'required in Lambda (the alert topic ARN)');
  const log = new Logger({ serviceName: 'secretwatch', logLevel: (env.LOG_LEVEL as 'INFO') ?? 'INFO', persistentKeys: { monitor: 'inventoryScan' } });
  const clients = createDeliveryClients();
  // Central mode: the member stacks' scan role, named by serverless/organization.js (SCAN_ROLE_NAME).
  let central: CentralScanDeps | undefined;
  const members = memberAccountsOf(config);
  if (members) {
    const roleName = (env.SCAN_ROLE_NAME ?? '').trim();
    if (!isScanRoleName(roleName)) {
      throw new ConfigError('SCAN_ROLE_NAME', 'required with SCAN_ACCOUNTS or SCAN_ORGANIZATION (the member scan role name, set by the stack in mode central)');
    }
    // Organizations has one endpoint per partition (us-east-1 in aws): the SDK resolves it from any region.
    central = {
      sts: new STSClient(AWS_CLIENT_OPTIONS),
      roleName,
      region: env.AWS_REGION ?? null,
      regions: config.scanRegions,
      ...('organization' in members ? { organizations: new OrganizationsClient(AWS_CLIENT_OPTIONS) } : {}),
    };
  }
  return async (event: unknown, context?: Context): Promise<InventoryScanResult> => {
    if (context) log.addContext(context);
    // A fresh client per scan: its call counters are this scan's.
    const inventory = createInventoryClient({ rateLimits: rateLimitsOf(config) });
    try {
      return await handleInventoryScan(event, {
        config,
        inventory,
        clients,
        log,
        region: env.AWS_REGION ?? null,
        central,
        lookupDeadlineMs: () => (context ? Date.now() + context.getRemainingTimeInMillis() - DELIVERY_RESERVE_MS : Infinity),
      });
    } finally {
      inventory.client.destroy();
    }
  };
}
