import { eventResolutions } from '../checks/resolution';
import type { Config } from '../config/config';
import { deliver, type DeliveryClients, type DeliveryReport } from '../delivery/deliver';
import { errorField, type Log } from '../delivery/log';
import { invalidEventsMetric, putMetrics } from '../delivery/metrics';
import { InvalidEventError } from '../events/errors';
import { parseEvent } from '../events/parse';
import type { Finding } from '../findings/finding';
import type { MonitorDeclaration, RecordContextReader } from '../monitors/monitor';
import { EventRouter } from '../monitors/router';
import { applyFollowUps, type FindingFollowUp } from './followUp';

export interface EventHandlerDeps {
  config: Config;
  clients: DeliveryClients;
  log: Log;
  now?: () => Date;
  /** Steps between the checks and delivery (remediation, second opinions); none by default. */
  followUps?: readonly FindingFollowUp[];
  /** Reads what the checks need beyond the record; none by default. */
  recordContext?: RecordContextReader;
}

export type EventHandlerResult =
  | { status: 'invalid'; reason: string; eventId: string | null }
  | { status: 'ignored'; eventName: string; eventSource: string }
  | { status: 'processed'; findings: Finding[]; delivery: DeliveryReport };

const routers = new WeakMap<MonitorDeclaration, EventRouter>();

function routerOf(monitor: MonitorDeclaration): EventRouter {
  let router = routers.get(monitor);
  if (!router) {
    router = new EventRouter([monitor]);
    routers.set(monitor, router);
  }
  return router;
}

/**
 * parse -> route (the monitor's own rule patterns, as replay runs them) -> checks -> follow-ups ->
 * deliver, for one EventBridge event. An event that does not parse is logged, counted in
 * InvalidEvents and not retried (retrying cannot fix it); one that no rule of the monitor matches
 * is logged and ignored; a notification failure throws so that the invocation is retried and
 * finally dead-lettered.
 */
export async function handleMonitorEvent(event: unknown, monitor: MonitorDeclaration, deps: EventHandlerDeps): Promise<EventHandlerResult> {
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
  const router = routerOf(monitor);
  if (router.route(parsed).length === 0) {
    log.warn('event that no rule of this function matches ignored; check the rule pattern', { eventSource: record.eventSource, eventName: record.eventName, eventId: record.eventId });
    return { status: 'ignored', eventName: record.eventName, eventSource: record.eventSource };
  }
  // What the checks need beyond the record (a policy named by ARN), read before they run.
  const extra = deps.recordContext ? await deps.recordContext.read(record, log) : {};
  const routed = router.evaluate(parsed, { config, now, ...extra });
  // A check that throws is a defect: the invocation fails, so that the event is retried and finally dead-lettered rather than lost.
  if (routed.failures.length) throw routed.failures[0].error;
  const findings = await applyFollowUps(routed.findings, record, deps.followUps ?? [], log);
  // One log line per finding: the per-check views and the dashboard's Logs Insights table read these.
  for (const finding of findings) log.info('finding', { finding });
  if (findings.length === 0) log.debug('no finding', { eventName: record.eventName, eventId: record.eventId });
  // Whether a fixed state had an open finding is known only where findings are kept: Security Hub.
  const resolutions = config.securityHub ? eventResolutions(record, findings) : [];
  const delivery = await deliver(findings, [], clients, config, log, now, resolutions);
  return { status: 'processed', findings, delivery };
}
