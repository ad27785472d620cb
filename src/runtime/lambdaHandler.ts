import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { configFromEnv, type Config } from '../config/config';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import { requireDeliverySettings } from './deliverySettings';
import { createDeliveryClients } from '../delivery/clients';
import { dynamoLedger } from '../delivery/ledger';
import type { MonitorDeclaration, RecordContextReader } from '../monitors/monitor';
import { handleMonitorEvent, type EventHandlerResult } from './eventHandler';
import { followUpsOf } from './followUp';

/** The monitor's record-context reader, its module loaded on the first record that needs it. */
function recordContextOf(monitor: MonitorDeclaration, config: Config): RecordContextReader | undefined {
  const declaration = monitor.recordContext;
  if (!declaration) return undefined;
  let loading: Promise<RecordContextReader> | undefined;
  return {
    async read(record, log) {
      // A module that failed to load is loaded again next time rather than failing every event.
      loading ??= declaration.load(config).catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).read(record, log);
    },
  };
}

/**
 * The Lambda handler of an event monitor. Configuration is read and
 * validated once, at cold start, so a bad setting fails the deployment's first invocation loudly,
 * naming the setting.
 */
export function createLambdaHandler(monitor: MonitorDeclaration, env: Record<string, string | undefined>) {
  const config = configFromEnv(env);
  requireDeliverySettings(config);
  const log = new Logger({ serviceName: 'secretwatch', logLevel: (env.LOG_LEVEL as 'INFO') ?? 'INFO', persistentKeys: { monitor: monitor.name } });
  const clients = createDeliveryClients({ securityHub: config.securityHub });
  const followUps = followUpsOf(monitor, config);
  const recordContext = recordContextOf(monitor, config);
  // Without the table (a local run) delivery is at least once: a retry re-sends everything.
  const ledger = config.deliveryTableName ? dynamoLedger(new DynamoDBClient(AWS_CLIENT_OPTIONS), config.deliveryTableName) : undefined;
  if (!ledger) log.warn('no delivery table (DELIVERY_TABLE_NAME): a retried invocation sends every finding again');
  return async (event: unknown, context?: Context): Promise<EventHandlerResult> => {
    if (context) log.addContext(context);
    const remainingMs = context?.getRemainingTimeInMillis();
    const result = await handleMonitorEvent(event, monitor, { config, clients, log, followUps, recordContext, ledger, remainingMs });
    log.info('event handled', { status: result.status, findings: result.status === 'processed' ? result.findings.length : 0 });
    return result;
  };
}
