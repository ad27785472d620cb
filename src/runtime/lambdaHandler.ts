import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { ConfigError, configFromEnv, envName, type Config } from '../config/config';
import { createDeliveryClients } from '../delivery/clients';
import { monitorByName } from '../monitors';
import { handleMonitorEvent, type EventHandlerResult } from './eventHandler';
import { followUpsOf } from './followUp';

/** Settings a deployed monitor cannot run without; the CLI runs fine without them. */
function requireDeliverySettings(config: Config): void {
  if (!config.alertTopicArn) throw new ConfigError(envName('alertTopicArn'), 'required in Lambda (the alert topic ARN)');
}

/**
 * The Lambda handler of the event monitor named by MONITOR_NAME. Configuration is read and
 * validated once, at cold start, so a bad setting fails the deployment's first invocation loudly,
 * naming the setting.
 */
export function createLambdaHandler(env: Record<string, string | undefined>) {
  const name = (env.MONITOR_NAME ?? '').trim();
  const monitor = monitorByName(name);
  if (!monitor || monitor.schedule) throw new ConfigError('MONITOR_NAME', `must name an event monitor (got "${name}")`);
  const config = configFromEnv(env);
  requireDeliverySettings(config);
  const log = new Logger({ serviceName: 'secretwatch', logLevel: (env.LOG_LEVEL as 'INFO') ?? 'INFO', persistentKeys: { monitor: monitor.name } });
  const clients = createDeliveryClients();
  const followUps = followUpsOf(monitor, config);
  return async (event: unknown, context?: Context): Promise<EventHandlerResult> => {
    if (context) log.addContext(context);
    const result = await handleMonitorEvent(event, monitor, { config, clients, log, followUps });
    log.info('event handled', { status: result.status, findings: result.status === 'processed' ? result.findings.length : 0 });
    return result;
  };
}
