import { eventResolutions } from '../checks/resolution';
import type { Config } from '../config/config';
import { deliver, type DeliveryClients, type DeliveryReport } from '../delivery/deliver';
import type { DeliveryLedger } from '../delivery/ledger';
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
  /** Records what each channel already took, so that a retry re-sends only what failed; none: every finding is sent. */
  ledger?: DeliveryLedger;
  /** The invocation's remaining time in ms (Lambda's context); claims in the ledger lapse after it. */
  remainingMs?: number;
}

export type EventHandlerResult =
  | { status: 'invalid'; reason: string; eventId: string | null }
  | { status: 'ignored'; eventName: string; eventSource: string }
  | { status: 'processed'; findings: Finding[]; delivery: DeliveryReport; failedChecks: string[] };

const routers = new WeakMap<MonitorDeclaration, EventRouter>();

function routerOf(monitor: MonitorDeclaration): EventRouter {
  let router = routers.get(monitor);
  if (!router) {
    router = new EventRouter([monitor]);
    routers.set(monitor, router);
  }
  return router;
}

/** Without a Lambda context (tests, a local run): the functions' 30-second timeout. */
const DEFAULT_REMAINING_MS = 30_000;

async function countInvalidEvent(deps: EventHandlerDeps, now: Date): Promise<void> {
  await putMetrics(deps.clients.cloudWatch, deps.config.metricNamespace, [invalidEventsMetric(1, now)]).catch((metricError: unknown) =>
    deps.log.error('InvalidEvents metric not published', { error: errorField(metricError) }),
  );
}

/**
 * parse -> route (the monitor's own rule patterns, as replay runs them) -> checks -> follow-ups ->
 * deliver, for one EventBridge event. An event that does not parse is logged, counted in
 * InvalidEvents and not retried (retrying cannot fix it); so is an event that makes a check throw
 * (the same record makes it throw on every retry), while its other checks' findings are delivered.
 * One that no rule of the monitor matches is logged and ignored; a delivery failure throws so that
 * the invocation is retried, re-sending only what failed, and finally dead-lettered.
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
    await countInvalidEvent(deps, now);
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
  for (const failure of routed.failures) {
    log.error('check failed on this event: no finding from it, not retried', { check: failure.check, eventId: record.eventId, eventName: record.eventName, error: errorField(failure.error) });
  }
  if (routed.failures.length) await countInvalidEvent(deps, now);
  const findings = await applyFollowUps(routed.findings, record, deps.followUps ?? [], log);
  // One log line per finding: the per-check views and the dashboard's Logs Insights table read these.
  for (const finding of findings) log.info('finding', { finding });
  if (findings.length === 0) log.debug('no finding', { eventName: record.eventName, eventId: record.eventId });
  // Whether a fixed state had an open finding is known only where findings are kept: Security Hub.
  const resolutions = config.securityHub ? eventResolutions(record, findings) : [];
  const delivery = await deliver(findings, clients, config, log, now, { ledger: deps.ledger, scope: monitor.name, leaseMs: deps.remainingMs ?? DEFAULT_REMAINING_MS }, resolutions);
  return { status: 'processed', findings, delivery, failedChecks: routed.failures.map((f) => f.check) };
}
