import { resourceKind, resourceLabel } from '../resources/resource';
import { commandsIn } from './commands';
import { digestSeverity, type Digest } from './digest';
import type { Finding } from './finding';
import { safeLine } from './safeText';
import { code, consoleLinkFor, escapeMrkdwn, SEVERITY_STYLE, slackText, truncate } from './slack';

/**
 * The custom-notification format of AWS Chatbot (Amazon Q Developer in chat applications), for
 * teams that map the alert topic to a chat channel instead of running the Slack notifier. Chatbot
 * renders `client-markdown` in the channel's own markdown; hostile values are escaped and shown as
 * code, as in the Slack notifier's messages.
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: { textType: 'client-markdown'; title: string; description: string; nextSteps?: string[]; keywords?: string[] };
  metadata: { summary: string; eventType: string; relatedResources?: string[]; additionalContext: Record<string, string> };
}

/** Chat renders the description as one message; past this it is cut (Slack's own section limit). */
export const CHATBOT_DESCRIPTION_MAX = 3000;
const TITLE_MAX = 250;
const MAX_NEXT_STEPS = 5;

export function chatbotNotification(finding: Finding): ChatbotNotification {
  const style = SEVERITY_STYLE[finding.severity];
  const actor = finding.actor;
  const lines = [
    `*${resourceKind(finding.resource)}* ${code(resourceLabel(finding.resource))}   *Account* ${code(finding.account)}   *Region* ${code(finding.region)}`,
    actor ? `*Who* ${code(actor.arn ?? actor.type)}${actor.sourceIp ? ` from ${code(actor.sourceIp)}` : ''}` : null,
    `*When* ${finding.event ? `${code(finding.event.time)} (${slackText(finding.event.name)})` : 'inventory scan'}`,
    finding.description ? `\n*What it means* ${slackText(finding.description)}` : null,
    `\n*What to do* ${slackText(finding.remediation)}`,
  ];
  const link = consoleLinkFor(finding);
  // A link cannot be cut: the text before it is, so that the link stays whole (or is left out whole).
  const linkLine = link ? `\n\n<${escapeMrkdwn(link)}|Open in the Secrets Manager console>` : '';
  const commands = commandsIn(finding.remediation).slice(0, MAX_NEXT_STEPS);
  return {
    version: '1.0',
    source: 'custom',
    ...(finding.event?.id ? { id: `${finding.event.id}:${finding.check}` } : {}),
    content: {
      textType: 'client-markdown',
      title: truncate(`${style.emoji} ${finding.severity}: ${slackText(finding.title)}`, TITLE_MAX),
      description: truncate(lines.filter((l): l is string => l !== null).join('\n'), CHATBOT_DESCRIPTION_MAX - linkLine.length) + linkLine,
      ...(commands.length ? { nextSteps: commands.map((c) => code(c, 1000)) } : {}),
      keywords: [finding.severity, finding.check, ...(finding.region ? [finding.region] : [])],
    },
    metadata: {
      summary: truncate(`${finding.severity}: ${safeLine(finding.title)}`, TITLE_MAX),
      eventType: finding.check,
      ...(finding.resource.arn ? { relatedResources: [finding.resource.arn] } : {}),
      additionalContext: {
        check: finding.check,
        severity: finding.severity,
        ...(finding.secret?.arn ? { secretArn: finding.secret.arn } : {}),
        ...(finding.event?.id ? { eventId: finding.event.id } : {}),
      },
    },
  };
}

/** A scan digest for Chatbot: the totals, then as many entries as fit the description. */
export function chatbotDigestNotification(digest: Digest): ChatbotNotification {
  const severity = digestSeverity(digest);
  const title = digest.scope === 'full' ? `Weekly SecretWatch digest: ${digest.findings} finding(s), ${digest.newFindings} new` : `SecretWatch scan: ${digest.newFindings} new finding(s)`;
  const head = [
    `${digest.accounts > 1 ? `*Accounts* ${digest.accounts} (central ${code(digest.account)})` : `*Account* ${code(digest.account)}`}   *Region* ${code(digest.region)}   *Secrets* ${digest.secrets}   *All findings* ${digest.findings}`,
    `*Scanned* ${code(digest.scannedAt)}; listed: ${escapeMrkdwn(digest.notifyMinSeverity)} and above.`,
    '',
  ];
  const lines = [...head];
  let length = head.join('\n').length;
  let shown = 0;
  // Room for the "and N more" line, so that the list is never cut mid-entry.
  const budget = CHATBOT_DESCRIPTION_MAX - 120;
  for (const e of digest.entries) {
    const line = `${SEVERITY_STYLE[e.severity].emoji} *${e.severity}* ${digest.accounts > 1 ? `${code(e.account ?? 'unknown')} ` : ''}${code(e.secret, 200)} ${slackText(truncate(e.title, 300))}`;
    if (length + line.length + 1 > budget) break;
    lines.push(line);
    length += line.length + 1;
    shown++;
  }
  const more = digest.entries.length - shown + digest.omitted;
  if (digest.entries.length === 0) lines.push(digest.findings === 0 ? 'No findings: every secret is compliant.' : `Nothing at or above ${digest.notifyMinSeverity}.`);
  if (more > 0) lines.push(`…and ${more} more: every finding is on the findings bus.`);
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${SEVERITY_STYLE[severity].emoji} ${title}`,
      description: truncate(lines.join('\n'), CHATBOT_DESCRIPTION_MAX),
      keywords: [severity, 'scan-digest', ...(digest.region ? [digest.region] : [])],
    },
    metadata: {
      summary: title,
      eventType: 'scan-digest',
      additionalContext: { scope: digest.scope, findings: String(digest.findings), newFindings: String(digest.newFindings) },
    },
  };
}
