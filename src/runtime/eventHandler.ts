import { runEventChecks } from '../checks/types';
import type { Config } from '../config/config';
import { deliver, type DeliveryClients, type DeliveryReport } from '../delivery/deliver';
import { errorField, type Log } from '../delivery/log';
import { invalidEventsMetric, putMetrics } from '../delivery/metrics';
import { InvalidEventError } from '../events/errors';
import { parseEvent } from '../events/parse';
import { SECRETS_MANAGER_SOURCE } from '../events/record';
import type { Finding } from '../findings/finding';
import type { EventMonitor } from '../monitors';
import { applyFollowUps, type FindingFollowUp } from './followUp';

export interface EventHandlerDeps {
  config: Config;
  clients: DeliveryClients;
  log: Log;
  now?: () => Date;
  /** Steps between the checks and delivery (remediation, second opinions); none by default. */
  followUps?: readonly FindingFollowUp[];
}

export type EventHandlerResult =
  | { status: 'invalid'; reason: string; eventId: string | null }
  | { status: 'ignored'; eventName: string; eventSource: string }
  | { status: 'processed'; findings: Finding[]; delivery: DeliveryReport };

/**
 * parse -> checks -> deliver for one EventBridge event. An event that does not parse is logged,
 * counted in InvalidEvents and not retried (retrying cannot fix it); a notification failure throws
 * so that EventBridge retries and finally dead-letters the event.
 */
export async function handleMonitorEvent(event: unknown, monitor: EventMonitor, deps: EventHandlerDeps): Promise<EventHandlerResult> {
  const now = (deps.now ?? (() => new Date()))();
  const { config, clients, log } = deps;
  let parsed;
  try {
    parsed = parseEvent(event);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    log.error('invalid event: not processed, not retried', { reason: error.reason, eventId: error.eventId, error: error.message });
    await putMetrics(clients.cloudWatch, config.metricNamespace, [invalidEventsMetric(1, now)]).catch((metricError: unknown) =>
      log.error('InvalidEvents metric not published', { error: errorField(metricError) }),
    );
    return { status: 'invalid', reason: error.reason, eventId: error.eventId };
  }
  const { record } = parsed;
  if (record.eventSource !== SECRETS_MANAGER_SOURCE) {
    log.warn('event from another service ignored; check the rule pattern', { eventSource: record.eventSource, eventName: record.eventName, eventId: record.eventId });
    return { status: 'ignored', eventName: record.eventName, eventSource: record.eventSource };
  }
  const findings = await applyFollowUps(runEventChecks(monitor.checks, record, { config, now }), record, deps.followUps ?? [], log);
  // One log line per finding: the per-check views and the dashboard's Logs Insights table read these.
  for (const finding of findings) log.info('finding', { finding });
  if (findings.length === 0) log.debug('no finding', { eventName: record.eventName, eventId: record.eventId });
  const delivery = await deliver(findings, [], clients, config, log, now);
  return { status: 'processed', findings, delivery };
}
