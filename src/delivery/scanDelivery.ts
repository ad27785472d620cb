import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { Digest } from '../findings/digest';
import type { Finding } from '../findings/finding';
import { putFindings } from './bus';
import { NotificationError, type DeliveryClients, type DeliveryTargets } from './deliver';
import { publishDigest } from './digest';
import { errorField, type Log } from './log';
import { findingMetrics, putMetrics } from './metrics';
import { deliverScanToSecurityHub, logSecurityHubReport, securityHubChannelOf, type ScanCoverage } from './securityHub';

/** PutEvents calls in flight at once: 10,000 findings are 1,000 calls. */
const BUS_CONCURRENCY = 10;

export interface ScanDelivery {
  /** Every finding of the scan: all go on the findings bus. */
  findings: readonly Finding[];
  /** The ones new since the previous scan: counted in the Findings metric, like event findings. */
  newFindings: readonly Finding[];
  gauges: readonly MetricDatum[];
  /** null: nothing to notify this scan. */
  digest: Digest | null;
  /** What the scan covered: where a finding it no longer raises is closed in Security Hub. */
  coverage: ScanCoverage;
}

export interface ScanDeliveryReport {
  metricCalls: number;
  metricsFailed: boolean;
  digestPublished: boolean;
  putOnBus: number;
  securityHub?: { imported: number; resolved: number };
}

/**
 * Delivery for a scan: the gauges and the Findings counts in one PutMetricData call, one
 * digest notification, every finding on the bus. As for events, a metric failure is logged and
 * blocks nothing; a notification or bus failure fails the invocation after everything was tried.
 */
export async function deliverScan(delivery: ScanDelivery, clients: DeliveryClients, targets: DeliveryTargets, log: Log, now: Date): Promise<ScanDeliveryReport> {
  const report: ScanDeliveryReport = { metricCalls: 0, metricsFailed: false, digestPublished: false, putOnBus: 0 };
  const metricData = [...findingMetrics(delivery.newFindings, now), ...delivery.gauges];
  const metrics = putMetrics(clients.cloudWatch, targets.metricNamespace, metricData).then(
    (calls) => {
      report.metricCalls = calls;
    },
    (error: unknown) => {
      report.metricsFailed = true;
      log.error('metrics not published; notifications go on', { error: errorField(error), dataPoints: metricData.length });
    },
  );
  const digest =
    targets.alertTopicArn && delivery.digest
      ? publishDigest(clients.sns, targets.alertTopicArn, delivery.digest).then((messageId) => {
          report.digestPublished = true;
          log.info('digest published', { scope: delivery.digest?.scope, entries: delivery.digest?.entries.length, messageId });
        })
      : Promise.resolve();
  const bus =
    targets.findingsBusName && delivery.findings.length
      ? putFindings(clients.eventBridge, targets.findingsBusName, delivery.findings, now, BUS_CONCURRENCY).then(() => {
          report.putOnBus = delivery.findings.length;
        })
      : Promise.resolve();
  const channel = securityHubChannelOf(clients, targets, now);
  const securityHub = channel
    ? deliverScanToSecurityHub(channel, delivery.findings, delivery.coverage, now).then((out) => {
        report.securityHub = logSecurityHubReport(out, log);
      })
    : Promise.resolve();
  const [, ...outcomes] = await Promise.allSettled([metrics, digest, bus, securityHub]);
  const errors = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
  if (errors.length) {
    for (const error of errors) log.error('notification failed', { error: errorField(error) });
    throw new NotificationError(errors, `${errors.length} notification(s) of the scan failed; the scan will be retried`);
  }
  return report;
}
