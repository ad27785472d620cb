import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { ConfigError, configFromEnv, envName } from '../config/config';
import { createDeliveryClients } from '../delivery/clients';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { Config } from '../config/config';
import { createInventoryClient, rateLimitsOf } from '../inventory/client';
import { isScanRoleName, memberAccountsOf, type CentralScanDeps } from './centralScan';
import type { FanOutDeps } from './fanOut/coordinator';
import { DynamoScanRunStore } from './fanOut/dynamoStore';
import { lambdaAssemblyTrigger } from './fanOut/lambdaTrigger';
import { sqsUnitQueue } from './fanOut/sqsQueue';
import { handleInventoryScan, type InventoryScanResult } from './inventoryScan';

/** Kept back from the function's timeout for the gauges, the digest and tens of thousands of findings on the bus. */
export const DELIVERY_RESERVE_MS = 120_000;

/**
 * The inventoryScan Lambda handler. Configuration is read and validated at cold start, like the
 * event monitors'; the version look-ups stop starting DELIVERY_RESERVE_MS before the timeout so
 * that a huge inventory is still delivered (the secrets not looked up are judged by their
 * ListSecrets dates, and the log says how many).
 */
/**
 * Central mode: how to reach the member stacks' scan role (SCAN_ROLE_NAME, set by
 * serverless/organization.js); null when the settings name no member account.
 */
export function centralScanDepsFromEnv(env: Record<string, string | undefined>, config: Config): CentralScanDeps | null {
  const members = memberAccountsOf(config);
  if (!members) return null;
  const roleName = (env.SCAN_ROLE_NAME ?? '').trim();
  if (!isScanRoleName(roleName)) {
    throw new ConfigError('SCAN_ROLE_NAME', 'required with SCAN_ACCOUNTS or SCAN_ORGANIZATION (the member scan role name, set by the stack in mode central)');
  }
  // Organizations has one endpoint per partition (us-east-1 in aws): the SDK resolves it from any region.
  return { sts: new STSClient({}), roleName, region: env.AWS_REGION ?? null, regions: config.scanRegions, ...('organization' in members ? { organizations: new OrganizationsClient({}) } : {}) };
}

function required(env: Record<string, string | undefined>, name: string, what: string): string {
  const value = (env[name] ?? '').trim();
  if (!value) throw new ConfigError(name, `required in mode central (${what}, set by the stack)`);
  return value;
}

/** The scan run table and the assembling function, shared by the coordinator and the scan workers. */
export function fanOutStoreFromEnv(env: Record<string, string | undefined>): Pick<FanOutDeps, 'store' | 'trigger'> {
  const table = required(env, 'SCAN_RUNS_TABLE', "the table of the scan units' results");
  const assembler = required(env, 'SCAN_ASSEMBLY_FUNCTION', 'the inventoryScan function, which assembles a run');
  return { store: new DynamoScanRunStore(new DynamoDBClient({}), table), trigger: lambdaAssemblyTrigger(new LambdaClient({}), assembler) };
}

/**
 * The inventoryScan Lambda handler. Configuration is read and validated at cold start, like the
 * event monitors'; the version look-ups stop starting DELIVERY_RESERVE_MS before the timeout so
 * that a huge inventory is still delivered (the secrets not looked up are judged by their
 * ListSecrets dates, and the log says how many). In mode central the member accounts are fanned
 * out to the scan workers (SCAN_UNIT_QUEUE_URL) and the run assembled by a later invocation.
 */
export function createInventoryScanHandler(env: Record<string, string | undefined>) {
  const config = configFromEnv(env);
  if (!config.alertTopicArn) throw new ConfigError(envName('alertTopicArn'), 'required in Lambda (the alert topic ARN)');
  const log = new Logger({ serviceName: 'secretwatch', logLevel: (env.LOG_LEVEL as 'INFO') ?? 'INFO', persistentKeys: { monitor: 'inventoryScan' } });
  const clients = createDeliveryClients();
  const central = centralScanDepsFromEnv(env, config) ?? undefined;
  const fanOut: FanOutDeps | undefined = central
    ? { ...fanOutStoreFromEnv(env), enqueue: sqsUnitQueue(new SQSClient({}), required(env, 'SCAN_UNIT_QUEUE_URL', "the scan workers' queue")), central }
    : undefined;
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
        fanOut,
        lookupDeadlineMs: () => (context ? Date.now() + context.getRemainingTimeInMillis() - DELIVERY_RESERVE_MS : Infinity),
      });
    } finally {
      inventory.client.destroy();
    }
  };
}
