import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Finding } from '../findings/finding';
import type { FindingResolution } from '../findings/resolution';
import { atLeast, type Severity } from '../findings/severity';
import { BusDeliveryError, putFindings } from './bus';
import { deliverOnEachChannel, PartialDeliveryError, type ChannelOutcome, type DeliveryChannel } from './channel';
import type { DeliveryLedger } from './ledger';
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
  /** Per channel: sent now, already delivered by an earlier invocation of the same event. */
  channels: { channel: string; sent: number; alreadyDelivered: number; failed: boolean }[];
  /** Findings imported into Security Hub, and open ones closed there. */
  securityHub?: { imported: number; resolved: number };
}

/** What makes a delivery exactly once per channel; without a ledger (the CLI) every finding is sent. */
export interface ExactlyOnce {
  ledger?: DeliveryLedger;
  /** The function's name: keys are unique within it. */
  scope: string;
  /** The invocation's remaining time: a claim lapses when the invocation that made it is gone. */
  leaseMs: number;
}

/** A channel failed: the invocation must fail so that it is retried, and the retry re-sends what failed. */
export class NotificationError extends AggregateError {
  override readonly name = 'NotificationError';
}

export const METRICS_CHANNEL = 'metrics';
export const ALERT_TOPIC_CHANNEL = 'alert-topic';
export const FINDINGS_BUS_CHANNEL = 'findings-bus';
export const SECURITY_HUB_CHANNEL = 'security-hub';

/** Sends each finding on its own, all at once; a PartialDeliveryError names the ones that went when others did not. */
async function eachFinding(findings: readonly Finding[], send: (finding: Finding) => Promise<void>): Promise<void> {
  const outcomes = await Promise.allSettled(findings.map(send));
  const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  if (failed.length === 0) return;
  // One failure is reported as itself (its name says what went wrong); several, together.
  const error = failed.length === 1 ? failed[0] : new AggregateError(failed, `${failed.length} of ${findings.length} not sent: ${failed.map((e) => errorField(e).message).join('; ')}`);
  throw new PartialDeliveryError(
    findings.filter((_, i) => outcomes[i].status === 'fulfilled'),
    error,
  );
}

/**
 * The channels of an event's findings, in the order they are reported: the Findings metric (one
 * PutMetricData call for all the findings it has not counted yet), the alert topic (one publish per
 * finding at or above notifyMinSeverity) and the findings bus.
 */
export function deliveryChannels(clients: DeliveryClients, targets: DeliveryTargets, log: Log, now: Date, report: DeliveryReport): DeliveryChannel[] {
  const channels: DeliveryChannel[] = [
    {
      name: METRICS_CHANNEL,
      async send(findings, signal) {
        report.metricCalls += await putMetrics(clients.cloudWatch, targets.metricNamespace, findingMetrics(findings, now), signal);
      },
    },
  ];
  const topicArn = targets.alertTopicArn;
  if (topicArn) {
    channels.push({
      name: ALERT_TOPIC_CHANNEL,
      accepts: (finding) => atLeast(finding.severity, targets.notifyMinSeverity),
      send: (findings, signal) =>
        eachFinding(findings, async (finding) => {
          const messageId = await publishFinding(clients.sns, topicArn, finding, signal);
          report.published++;
          log.info('finding published', { check: finding.check, severity: finding.severity, eventId: finding.event?.id ?? null, messageId });
        }),
    });
  }
  const busName = targets.findingsBusName;
  if (busName) {
    channels.push({
      name: FINDINGS_BUS_CHANNEL,
      async send(findings, signal) {
        try {
          await putFindings(clients.eventBridge, busName, findings, now, 1, signal);
          report.putOnBus += findings.length;
        } catch (error) {
          // PutEvents refuses entries one by one: the ones it took are not sent again.
          if (!(error instanceof BusDeliveryError)) throw error;
          const delivered = findings.filter((f) => !error.refused.has(f));
          report.putOnBus += delivered.length;
          throw new PartialDeliveryError(delivered, error);
        }
      },
    });
  }
  return channels;
}

function reportOf(outcomes: readonly ChannelOutcome[], report: DeliveryReport): DeliveryReport {
  report.metricsFailed = outcomes.some((o) => o.channel === METRICS_CHANNEL && o.error !== undefined);
  report.channels = outcomes.map((o) => ({ channel: o.channel, sent: o.sent, alreadyDelivered: o.alreadyDelivered, failed: o.error !== undefined }));
  return report;
}

/**
 * Delivers an event's findings on every channel at once, exactly once per channel when there is a
 * ledger: a channel sends only what it has not taken before. A failed channel never holds back
 * another (a metric failure never blocks an alert); once all were tried, any failure fails the
 * invocation so that Lambda retries it, and the retry re-sends only what failed. Security Hub, when
 * on, runs beside the channels without the ledger: an import under the finding's stable Id is an
 * update, so a retry that imports again changes nothing; `resolutions` are the findings this
 * event fixed, closed there and announced.
 */
export async function deliver(
  findings: readonly Finding[],
  clients: DeliveryClients,
  targets: DeliveryTargets,
  log: Log,
  now: Date,
  once?: ExactlyOnce,
  resolutions: readonly FindingResolution[] = [],
): Promise<DeliveryReport> {
  const report: DeliveryReport = { metricCalls: 0, metricsFailed: false, published: 0, putOnBus: 0, channels: [] };
  const hub = securityHubChannelOf(clients, targets, now);
  const securityHub: Promise<unknown> =
    hub && (findings.length || resolutions.length)
      ? deliverEventToSecurityHub(hub, findings, resolutions, now).then(
          (out) => {
            report.securityHub = logSecurityHubReport(out, log);
            return undefined;
          },
          (error: unknown) => error,
        )
      : Promise.resolve(undefined);
  const channels = findings.length ? deliveryChannels(clients, targets, log, now, report) : [];
  const [outcomes, hubError] = await Promise.all([
    findings.length ? deliverOnEachChannel(channels, findings, { ledger: once?.ledger, scope: once?.scope ?? '', leaseMs: once?.leaseMs ?? 0, log }) : Promise.resolve([]),
    securityHub,
  ]);
  reportOf(outcomes, report);
  for (const outcome of outcomes) {
    if (outcome.alreadyDelivered) log.info('already delivered by an earlier invocation: not sent again', { channel: outcome.channel, findings: outcome.alreadyDelivered });
  }
  const failed: { channel: string; error: unknown }[] = outcomes.filter((o) => o.error !== undefined).map((o) => ({ channel: o.channel, error: o.error }));
  if (hubError !== undefined) failed.push({ channel: SECURITY_HUB_CHANNEL, error: hubError });
  if (failed.length) {
    for (const o of failed) log.error('delivery failed', { channel: o.channel, error: errorField(o.error) });
    throw new NotificationError(
      failed.map((o) => o.error),
      `delivery failed on ${failed.map((o) => o.channel).join(', ')} (${failed.map((o) => errorField(o.error).message).join('; ')}); the event will be retried, and only what failed is sent again`,
    );
  }
  return report;
}
