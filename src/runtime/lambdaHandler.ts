import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { configFromEnv } from '../config/config';
import { requireDeliverySettings } from './deliverySettings';
import { createDeliveryClients } from '../delivery/clients';
import type { MonitorDeclaration } from '../monitors/monitor';
import { handleMonitorEvent, type EventHandlerResult } from './eventHandler';
import { followUpsOf } from './followUp';

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
  return async (event: unknown, context?: Context): Promise<EventHandlerResult> => {
    if (context) log.addContext(context);
    const result = await handleMonitorEvent(event, monitor, { config, clients, log, followUps });
    log.info('event handled', { status: result.status, findings: result.status === 'processed' ? result.findings.length : 0 });
    return result;
  };
}
