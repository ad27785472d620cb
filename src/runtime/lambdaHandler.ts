import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { ConfigError, configFromEnv, envName, type Config } from '../config/config';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import { createDeliveryClients } from '../delivery/clients';
import { dynamoLedger } from '../delivery/ledger';
import type { MonitorDeclaration } from '../monitors/monitor';
import { handleMonitorEvent, type EventHandlerResult } from './eventHandler';
import { followUpsOf } from './followUp';

/** Settings a deployed monitor cannot run without; the CLI runs fine without them. */
function requireDeliverySettings(config: Config): void {
  if (!config.alertTopicArn) throw new ConfigError(envName('alertTopicArn'), 'required in Lambda (the alert topic ARN)');
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
  const clients = createDeliveryClients();
  const followUps = followUpsOf(monitor, config);
  // Without the table (a local run) delivery is at least once: a retry re-sends everything.
  const ledger = config.deliveryTableName ? dynamoLedger(new DynamoDBClient(AWS_CLIENT_OPTIONS), config.deliveryTableName) : undefined;
  if (!ledger) log.warn('no delivery table (DELIVERY_TABLE_NAME): a retried invocation sends every finding again');
  return async (event: unknown, context?: Context): Promise<EventHandlerResult> => {
    if (context) log.addContext(context);
    const remainingMs = context?.getRemainingTimeInMillis();
    const result = await handleMonitorEvent(event, monitor, { config, clients, log, followUps, ledger, remainingMs });
    log.info('event handled', { status: result.status, findings: result.status === 'processed' ? result.findings.length : 0 });
    return result;
  };
}
