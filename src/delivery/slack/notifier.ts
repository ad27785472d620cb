import * as z from '../../schema/zod';
import { emfCount } from '../emf';
import { errorField, type Log } from '../log';
import { SLACK_REJECTED_METRIC } from '../metrics';
import { digestSeverity } from '../../findings/digest';
import { consoleLink } from '../../findings/links';
import { firstIssue, InvalidAlertMessageError, parseAlertMessage, type AlertMessage } from '../../findings/schema';
import { atLeast, type Severity } from '../../findings/severity';
import { slackDigestMessage, slackFindingMessage, slackResolvedMessage, type SlackMessage } from '../../findings/slack';
import { postToSlack, SlackPermanentError, type PostOptions } from './post';
import type { WebhookUrlSource } from './webhookUrl';

/**
 * The Slack notifier: SNS delivers alert-topic messages (one finding, or a scan digest), each is
 * rendered as one Block Kit message and posted to the webhook. A message that is not ours is
 * logged and dropped (retrying cannot fix it); a message Slack did not take fails the invocation
 * once every record was tried, so that Lambda retries it and finally dead-letters it.
 */

const snsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        Sns: z.object({
          MessageId: z.string(),
          Message: z.string(),
        }),
      }),
    )
    .check(z.minLength(1)),
});

export interface SlackNotifierDeps {
  webhook: WebhookUrlSource;
  minSeverity: Severity;
  log: Log;
  /** Epoch ms by which every post must be done: the invocation's deadline, less a margin. */
  deadlineMs: number;
  /** Where the SlackRejected count goes (an embedded-metric log line). */
  metricNamespace: string;
  now?: () => Date;
  /** Tests shorten the back-off and timeouts; production uses postToSlack's defaults. */
  postOptions?: Partial<Omit<PostOptions, 'deadlineMs' | 'log'>>;
}

export interface SlackNotifierResult {
  posted: number;
  /** Below slackMinSeverity (the subscription's filter policy normally keeps them away). */
  skipped: number;
  /** Not an SNS event, or a message that is neither a finding nor a digest: logged, not retried. */
  invalid: number;
  /** Refused by Slack for good (4xx other than 429): logged, counted in SlackRejected, not retried. */
  rejected: number;
}

export class SlackDeliveryError extends AggregateError {
  override readonly name = 'SlackDeliveryError';
}

/** A closed finding counts with the severity it had while open. */
function severityOf(message: AlertMessage): Severity {
  if (message.kind === 'finding') return message.finding.severity;
  return message.kind === 'resolved' ? message.resolved.severity : digestSeverity(message.digest);
}

function render(message: AlertMessage): SlackMessage {
  if (message.kind === 'finding') return slackFindingMessage(message.finding);
  return message.kind === 'resolved' ? slackResolvedMessage(message.resolved) : slackDigestMessage(message.digest);
}

/** When Slack refuses the blocks themselves: the alert still goes out, as one line of text. */
function plainMessage(message: AlertMessage, rich: SlackMessage): { text: string } {
  const link = message.kind === 'finding' ? consoleLink(message.finding) : null;
  return { text: link ? `${rich.text}\n<${link.replace(/&/g, '&amp;')}|Open in the Secrets Manager console>` : rich.text };
}

function logFields(messageId: string, message: AlertMessage): Record<string, unknown> {
  if (message.kind === 'finding') return { messageId, kind: 'finding', check: message.finding.check, severity: message.finding.severity, eventId: message.finding.event?.id ?? null };
  if (message.kind === 'resolved') return { messageId, kind: 'resolved', check: message.resolved.check, severity: message.resolved.severity, id: message.resolved.id };
  return { messageId, kind: 'digest', scope: message.digest.scope, severity: digestSeverity(message.digest), entries: message.digest.entries.length };
}

export async function notifySlack(event: unknown, deps: SlackNotifierDeps): Promise<SlackNotifierResult> {
  const { log } = deps;
  const result: SlackNotifierResult = { posted: 0, skipped: 0, invalid: 0, rejected: 0 };
  const parsed = snsEventSchema.safeParse(event);
  if (!parsed.success) {
    log.error('not an SNS event: dropped, not retried', { reason: firstIssue(parsed.error) });
    result.invalid++;
    return result;
  }
  const failures: Error[] = [];
  const post = (url: URL, payload: unknown) => postToSlack(url, payload, { ...deps.postOptions, deadlineMs: deps.deadlineMs, log });

  for (const record of parsed.data.Records) {
    const messageId = record.Sns.MessageId;
    let message: AlertMessage;
    try {
      message = parseAlertMessage(record.Sns.Message);
    } catch (error) {
      if (!(error instanceof InvalidAlertMessageError)) throw error;
      log.error('alert-topic message is neither a finding, a scan digest nor a resolved finding: dropped, not retried', { messageId, reason: error.message });
      result.invalid++;
      continue;
    }
    const fields = logFields(messageId, message);
    if (!atLeast(severityOf(message), deps.minSeverity)) {
      log.debug('below slackMinSeverity: not posted', fields);
      result.skipped++;
      continue;
    }
    try {
      const rich = render(message);
      const url = await deps.webhook.get();
      try {
        const { attempts } = await post(url, rich);
        log.info('posted to Slack', { ...fields, attempts });
      } catch (error) {
        if (!(error instanceof SlackPermanentError)) throw error;
        if (error.webhookGone) deps.webhook.invalidate();
        if (error.status !== 400) throw error;
        log.warn('Slack refused the blocks; posting the alert as plain text', { ...fields, slackError: error.slackError });
        await post(url, plainMessage(message, rich));
      }
      result.posted++;
    } catch (error) {
      if (error instanceof SlackPermanentError) {
        // The same request can never succeed: a retry would only repeat the refusal twice more. The
        // message is in this log line's fields and the alert topic's other subscribers have it.
        log.error('Slack refused the message for good: not retried', {
          ...fields,
          status: error.status,
          slackError: error.slackError,
          ...emfCount(deps.metricNamespace, SLACK_REJECTED_METRIC, 1, (deps.now ?? (() => new Date()))()),
        });
        result.rejected++;
        continue;
      }
      const field = errorField(error);
      log.error('not posted to Slack', { ...fields, error: field });
      failures.push(error instanceof Error ? error : new Error(field.message));
    }
  }
  if (failures.length) {
    throw new SlackDeliveryError(
      failures,
      `${failures.length} of ${parsed.data.Records.length} message(s) not posted to Slack (${failures.map((f) => f.message).join('; ')}); the invocation will be retried`,
    );
  }
  return result;
}
