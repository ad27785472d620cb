import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { configFromEnv } from '../config/config';
import { createDeliveryClients } from '../delivery/clients';
import type { IAMClient } from '@aws-sdk/client-iam';
import { createInventoryClient, rateLimitsOf } from '../inventory/client';
import type { CentralScanDeps } from './centralScan';
import { centralScanDepsFromEnv } from './centralScanFromEnv';
import type { FanOutDeps } from './fanOut/coordinator';
import { requireDeliverySettings } from './deliverySettings';
import { handleInventoryScan, type InventoryScanResult } from './inventoryScan';

/** Kept back from the function's timeout for the gauges, the digest and tens of thousands of findings on the bus. */
export const DELIVERY_RESERVE_MS = 120_000;

/**
 * The inventoryScan Lambda handler. Configuration is read and validated at cold start, like the
 * event monitors'; the version look-ups stop starting DELIVERY_RESERVE_MS before the timeout so
 * that a huge inventory is still delivered (the secrets not looked up are judged by their
 * ListSecrets dates, and the log says how many). `fanOutOf` (the central stack's handler gives it):
 * the member accounts are fanned out to the scan workers and the run assembled by a later
 * invocation; without it they are scanned in this invocation.
 */
export function createInventoryScanHandler(env: Record<string, string | undefined>, fanOutOf?: (env: Record<string, string | undefined>, central: CentralScanDeps) => FanOutDeps) {
  const config = configFromEnv(env);
  requireDeliverySettings(config);
  const log = new Logger({ serviceName: 'secretwatch', logLevel: (env.LOG_LEVEL as 'INFO') ?? 'INFO', persistentKeys: { monitor: 'inventoryScan' } });
  const clients = createDeliveryClients({ securityHub: config.securityHub });
  // Organizations' client only for a scan of the whole organization (scanOrganization), loaded then.
  const central = centralScanDepsFromEnv(env, config, () => import('@aws-sdk/client-organizations').then((m) => new m.OrganizationsClient(AWS_CLIENT_OPTIONS))) ?? undefined;
  const fanOut = central && fanOutOf ? fanOutOf(env, central) : undefined;
  // IAM's authorization details, for the roles readable from other accounts: its client (the
  // runtime's SDK) made at the first scan, not at every cold start.
  let iam: IAMClient | undefined;
  return async (event: unknown, context?: Context): Promise<InventoryScanResult> => {
    if (context) log.addContext(context);
    // A fresh client per scan: its call counters are this scan's.
    const inventory = createInventoryClient({ rateLimits: rateLimitsOf(config) });
    iam ??= new (await import('@aws-sdk/client-iam')).IAMClient(AWS_CLIENT_OPTIONS);
    try {
      return await handleInventoryScan(event, {
        config,
        inventory,
        iam,
        clients,
        log,
        region: env.AWS_REGION ?? null,
        central,
        fanOut,
        lookupDeadlineMs: () => (context ? Date.now() + context.getRemainingTimeInMillis() - DELIVERY_RESERVE_MS : Infinity),
      });
    } finally {
      inventory.client.destroy();
    }
  };
}
