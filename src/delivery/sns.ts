import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { chatbotNotification } from '../findings/chatbot';
import { emailText } from '../findings/email';
import type { Finding } from '../findings/finding';
import { resolvedText, type ResolvedFinding } from '../findings/resolution';
import { severityRank } from '../findings/severity';
import { subjectFor } from '../findings/subject';

/** SNS's message size limit, for the whole JSON message structure. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

function messageFor(finding: Finding): string {
  // `default` serves every protocol without its own key (SQS, Lambda, email-json), so the finding's
  // JSON is carried once; email subscribers get text; HTTPS subscribers, which is how AWS Chatbot
  // subscribes, get Chatbot's custom-notification format (docs/deploy.md, "Slack").
  return JSON.stringify({
    default: JSON.stringify(finding),
    email: emailText(finding),
    https: JSON.stringify(chatbotNotification(finding)),
  });
}

/**
 * Builds the Publish input: JSON message structure so that email subscribers get readable text
 * while SQS, Lambda and HTTPS subscribers get the finding as JSON; attributes let subscriptions
 * filter by severity (numerically, on severityRank) and by check. A finding whose details would
 * push the message past SNS's limit (a hostile 20 KB policy, say) is sent without them, saying so.
 */
export function publishInput(topicArn: string, finding: Finding) {
  let message = messageFor(finding);
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) {
    message = messageFor({ ...finding, details: { truncated: true, reason: 'details exceeded the SNS message size' } });
  }
  // arn:aws:sns:<region>:<account>:<name>: the account the alerts belong to.
  const home = topicArn.split(':')[4] ?? null;
  return {
    TopicArn: topicArn,
    Subject: subjectFor(finding, finding.account && finding.account !== home ? finding.account : null),
    MessageStructure: 'json',
    Message: message,
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: finding.severity },
      check: { DataType: 'String', StringValue: finding.check },
      severityRank: { DataType: 'Number', StringValue: String(severityRank(finding.severity)) },
    },
  };
}

export async function publishFinding(client: SNSClient, topicArn: string, finding: Finding, signal?: AbortSignal): Promise<string | undefined> {
  const out = await client.send(new PublishCommand(publishInput(topicArn, finding)), { abortSignal: signal });
  return out.MessageId;
}

/**
 * A finding that closed, for the Slack notifier: its rank is `resolvedSeverityRank`, not
 * `severityRank`, so that the email subscriptions (which filter on severityRank) never get it and
 * the notifier's subscription admits it only when slackResolved is on.
 */
export function publishResolvedInput(topicArn: string, resolved: ResolvedFinding) {
  const text = resolvedText(resolved);
  return {
    TopicArn: topicArn,
    Subject: `[RESOLVED] ${resolved.title}`.replace(/[\r\n]+/g, ' ').slice(0, 99),
    MessageStructure: 'json',
    Message: JSON.stringify({ default: JSON.stringify(resolved), email: text }),
    MessageAttributes: {
      kind: { DataType: 'String', StringValue: 'resolved' },
      check: { DataType: 'String', StringValue: resolved.check },
      resolvedSeverityRank: { DataType: 'Number', StringValue: String(severityRank(resolved.severity)) },
    },
  };
}

export async function publishResolved(client: SNSClient, topicArn: string, resolved: ResolvedFinding): Promise<string | undefined> {
  const out = await client.send(new PublishCommand(publishResolvedInput(topicArn, resolved)));
  return out.MessageId;
}
