import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { chatbotDigestNotification } from '../findings/chatbot';
import { digestSeverity, digestText, digestWhere, trimDigest, type Digest } from '../findings/digest';
import { severityRank } from '../findings/severity';
import { MAX_SUBJECT_LENGTH } from '../findings/subject';
import { MAX_MESSAGE_BYTES } from './sns';

/** A first cut that keeps an ordinary digest well inside SNS's limit; halved further if needed. */
const MAX_ENTRIES = 400;
/** SNS counts the whole request; leave room for the subject and attributes. */
const MESSAGE_BUDGET_BYTES = MAX_MESSAGE_BYTES - 8 * 1024;

export const DIGEST_CHECK_ATTRIBUTE = 'scan-digest';

function messageOf(digest: Digest): string {
  // `https`: AWS Chatbot's custom-notification format, as for findings (src/delivery/sns.ts).
  return JSON.stringify({ default: JSON.stringify(digest), email: digestText(digest), https: JSON.stringify(chatbotDigestNotification(digest)) });
}

export function digestSubject(digest: Digest): string {
  const where = digestWhere(digest);
  const text =
    digest.scope === 'full'
      ? `[${digestSeverity(digest)}] SecretWatch weekly digest ${where}: ${digest.findings} finding(s), ${digest.newFindings} new`
      : `[${digestSeverity(digest)}] SecretWatch scan ${where}: ${digest.newFindings} new finding(s)`;
  return text.length <= MAX_SUBJECT_LENGTH ? text : `${text.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

/**
 * The Publish input of a digest: JSON for SQS/Lambda/HTTPS subscribers, text for email, and the
 * attributes of a finding (severity = the digest's most severe entry; check = "scan-digest") so
 * that subscriptions filter digests like findings. Entries are cut until the message fits SNS.
 */
export function digestPublishInput(topicArn: string, full: Digest) {
  let digest = trimDigest(full, MAX_ENTRIES);
  let message = messageOf(digest);
  while (Buffer.byteLength(message) > MESSAGE_BUDGET_BYTES && digest.entries.length > 0) {
    digest = trimDigest(digest, Math.floor(digest.entries.length / 2));
    message = messageOf(digest);
  }
  const severity = digestSeverity(full);
  return {
    TopicArn: topicArn,
    Subject: digestSubject(full),
    MessageStructure: 'json',
    Message: message,
    MessageAttributes: {
      severity: { DataType: 'String', StringValue: severity },
      check: { DataType: 'String', StringValue: DIGEST_CHECK_ATTRIBUTE },
      severityRank: { DataType: 'Number', StringValue: String(severityRank(severity)) },
    },
  };
}

export async function publishDigest(client: SNSClient, topicArn: string, digest: Digest): Promise<string | undefined> {
  const out = await client.send(new PublishCommand(digestPublishInput(topicArn, digest)));
  return out.MessageId;
}
