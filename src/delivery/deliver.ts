import type { CloudWatchClient, MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Finding } from '../findings/finding';
import type { FindingResolution } from '../findings/resolution';
import { atLeast, type Severity } from '../findings/severity';
import { putFindings } from './bus';
import { errorField, type Log } from './log';
import { findingMetrics, putMetrics } from './metrics';
import { deliverEventToSecurityHub, logSecurityHubReport, securityHubChannelOf, type LazySecurityHubClient } from './securityHub';
import { publishFinding } from './sns';

export interface DeliveryClients {
  cloudWatch: CloudWatchClient;
  sns: SNSClient;
  eventBridge: EventBridgeClient;
  /** Only where securityHub is on. */
  securityHub?: LazySecurityHubClient;
}

export interface DeliveryTargets {
  metricNamespace: string;
  /** No topic: nothing is published (the CLI without --publish). */
  alertTopicArn?: string;
  /** No bus name: findings are not put on a bus. */
  findingsBusName?: string;
  notifyMinSeverity: Severity;
  /** Import into Security Hub (securityHubProductArn), and close the findings that were fixed. */
  securityHub?: boolean;
  securityHubProductArn?: string;
  /** Closed findings also go to the alert topic, for the Slack notifier only. */
  slackResolved?: boolean;
}

export interface DeliveryReport {
  metricCalls: number;
  metricsFailed: boolean;
  published: number;
  putOnBus: number;
  /** Findings imported into Security Hub, and open ones closed there. */
  securityHub?: { imported: number; resolved: number };
}

/** A notification (SNS or findings bus) failed: the invocation must fail so that EventBridge retries it. */
export class NotificationError extends AggregateError {
  override readonly name = 'NotificationError';
}

/**
 * A metric failure is logged and never blocks a notification (metrics are best effort); any
 * notification failure is raised after every other delivery was attempted, so that the
 * invocation fails and EventBridge retries it.
 */
export async function deliver(
  findings: readonly Finding[],
  extraMetrics: readonly MetricDatum[],
  clients: DeliveryClients,
  targets: DeliveryTargets,
  log: Log,
  now: Date,
  resolutions: readonly FindingResolution[] = [],
): Promise<DeliveryReport> {
  const report: DeliveryReport = { metricCalls: 0, metricsFailed: false, published: 0, putOnBus: 0 };
  const metricData = [...findingMetrics(findings, now), ...extraMetrics];
  const notify = targets.alertTopicArn ? findings.filter((f) => atLeast(f.severity, targets.notifyMinSeverity)) : [];

  const metrics = metricData.length
    ? putMetrics(clients.cloudWatch, targets.metricNamespace, metricData).then(
        (calls) => {
          report.metricCalls = calls;
        },
        (error: unknown) => {
          report.metricsFailed = true;
          log.error('metrics not published; notifications go on', { error: errorField(error), dataPoints: metricData.length });
        },
      )
    : Promise.resolve();

  const publishes = notify.map((finding) =>
    publishFinding(clients.sns, targets.alertTopicArn as string, finding).then((messageId) => {
      report.published++;
      log.info('finding published', { check: finding.check, severity: finding.severity, eventId: finding.event?.id ?? null, messageId });
    }),
  );
  const bus =
    targets.findingsBusName && findings.length
      ? putFindings(clients.eventBridge, targets.findingsBusName, findings, now).then(() => {
          report.putOnBus = findings.length;
        })
      : Promise.resolve();

  const channel = securityHubChannelOf(clients, targets, now);
  const securityHub =
    channel && (findings.length || resolutions.length)
      ? deliverEventToSecurityHub(channel, findings, resolutions, now).then((out) => {
          report.securityHub = logSecurityHubReport(out, log);
        })
      : Promise.resolve();

  const [, ...outcomes] = await Promise.allSettled([metrics, bus, securityHub, ...publishes]);
  const errors = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
  if (errors.length) {
    for (const error of errors) log.error('notification failed', { error: errorField(error) });
    throw new NotificationError(errors, `${errors.length} notification(s) failed; the event will be retried`);
  }
  return report;
}
