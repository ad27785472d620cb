import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { emailText } from '../findings/email';
import type { Finding } from '../findings/finding';
import { severityRank } from '../findings/severity';
import { subjectFor } from '../findings/subject';

/** SNS's message size limit; a finding is far smaller unless a hostile policy bloats its details. */
const MAX_MESSAGE_BYTES = 256 * 1024;

function boundedFindingJson(finding: Finding): string {
  const json = JSON.stringify(finding);
  if (Buffer.byteLength(json) < MAX_MESSAGE_BYTES / 2) return json;
  return JSON.stringify({ ...finding, details: { truncated: true, reason: 'details exceeded the SNS message size' } });
}

/**
 * Builds the Publish input: JSON message structure so that email subscribers get readable text
 * while SQS, Lambda and HTTPS subscribers get the finding as JSON; attributes let subscriptions
 * filter by severity (numerically, on severityRank) and by check.
 */
export function publishInput(topicArn: string, finding: Finding) {
  const json = boundedFindingJson(finding);
  let email = emailText(finding);
  if (Buffer.byteLength(email) > MAX_MESSAGE_BYTES / 2) email = `${email.slice(0, 60_000)}\n[truncated]`;
  return {
    TopicArn: topicArn,
    Subject: subjectFor(finding),
    MessageStructure: 'json',
    Message: JSON.stringify({ default: json, email, 'email-json': json, sqs: json, lambda: json }),
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: finding.severity },
      check: { DataType: 'String', StringValue: finding.check },
      severityRank: { DataType: 'Number', StringValue: String(severityRank(finding.severity)) },
    },
  };
}

export async function publishFinding(client: SNSClient, topicArn: string, finding: Finding): Promise<string | undefined> {
  const out = await client.send(new PublishCommand(publishInput(topicArn, finding)));
  return out.MessageId;
}
