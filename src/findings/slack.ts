import { resourceKind, resourceLabel } from '../resources/resource';
import { splitCommands } from './commands';
import { digestSeverity, type Digest } from './digest';
import type { Finding } from './finding';
import { consoleLink } from './links';
import { safeLine } from './safeText';
import type { ResolvedFinding } from './resolution';
import { SEVERITIES, type Severity } from './severity';

/**
 * Slack Block Kit messages for incoming webhooks. Every value that comes from CloudTrail or a
 * policy is hostile: it is escaped (no mentions, no links of its own) and truncated to Slack's
 * limits, so that a message is never refused for its size or shape.
 */

/** Slack's documented limits (https://api.slack.com/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  /** Slack truncates a message's top-level text past 40,000 characters; the notification shows far less. */
  fallbackText: 300,
} as const;

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}
export type Block = { type: 'header'; text: TextObject } | { type: 'section'; text?: TextObject; fields?: TextObject[] } | { type: 'context'; elements: TextObject[] } | { type: 'divider' };

export interface SlackMessage {
  /** What the phone's notification and screen readers show. */
  text: string;
  /** One attachment: its colour bar is the severity; Slack renders its blocks like top-level ones. */
  attachments: [{ color: string; blocks: Block[] }];
  unfurl_links: false;
  unfurl_media: false;
}

export const SEVERITY_STYLE: Record<Severity, { color: string; emoji: string }> = {
  CRITICAL: { color: '#B71C1C', emoji: ':rotating_light:' },
  HIGH: { color: '#E65100', emoji: ':large_orange_circle:' },
  MEDIUM: { color: '#F9A825', emoji: ':large_yellow_circle:' },
  LOW: { color: '#1565C0', emoji: ':large_blue_circle:' },
  INFO: { color: '#9E9E9E', emoji: ':white_circle:' },
};

/** Slack's three control characters; with them escaped, hostile text cannot mention or link. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts at a character boundary (never half a surrogate pair) and says so with an ellipsis. */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Hostile text as inline code: one safe line (safeLine), no backtick that would end the span early. Slack neither formats nor links inside code. */
export function code(value: string | null | undefined, max = 500): string {
  const text = safeLine(value ?? '')
    .replace(/`/g, "'")
    .trim();
  return text ? `\`${escapeMrkdwn(truncate(text, max))}\`` : '_unknown_';
}

/**
 * A word that Slack would act on: a formatting mark (* _ ~ `), a quote or link bracket, a mention
 * (@ #), or something its client turns into a link by itself (a URL, a domain, an address).
 */
const ACTIVE_WORD = /[*_~`<>&@#|]|:\/\/|\w\.\w|^www\./i;

/**
 * A header is plain text, which cannot hold code: a URL or domain in a hostile name is defanged
 * there ("https[:]//evil[.]example", as security tools write them) so that no client links it.
 */
export function defang(value: string): string {
  return value.replace(/:\/\//g, '[:]//').replace(/(\w)\.(?=\w)/g, '$1[.]');
}

/**
 * Prose that carries hostile values (a title, a remediation naming a secret or a Sid) as mrkdwn:
 * safeLine, then each word that Slack would format, link or mention shown as inline code, the
 * rest with Slack's three control characters escaped. No formatting can span words, since every
 * word holding a mark is code; the only links in a message are those the renderer puts there.
 */
export function slackText(value: string): string {
  return safeLine(value)
    .split(/( +)/)
    .map((word) => (word.trim() && ACTIVE_WORD.test(word) ? code(word, word.length + 1) : escapeMrkdwn(word)))
    .join('');
}

function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): TextObject {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

/** Slack shows the time in the reader's own time zone; the fallback is UTC. */
function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return code(iso);
  const utc = `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time_secs}|${utc}>`;
}

function who(finding: Finding): string | null {
  const actor = finding.actor;
  if (!actor || (!actor.arn && !actor.type)) return null;
  return actor.arn ? `${code(actor.arn)}${actor.type ? ` (${slackText(actor.type)})` : ''}` : slackText(actor.type as string);
}

function from(finding: Finding): string | null {
  const actor = finding.actor;
  if (!actor || (!actor.sourceIp && !actor.userAgent)) return null;
  return [actor.sourceIp ? code(actor.sourceIp) : null, actor.userAgent ? code(actor.userAgent, 120) : null].filter(Boolean).join('\n');
}

/** The remediation with its CLI commands as code, for copying from a phone. */
function remediationText(remediation: string): string {
  return splitCommands(remediation)
    .map((part) => (part.kind === 'command' ? code(part.text, 1000) : slackText(part.text)))
    .join('');
}

const RESOLVED_EMOJI = ':white_check_mark:';
const RESOLVED_COLOR = '#2eb67d';

/** Slack's <url|text> syntax cannot be cut: a link that does not fit whole is left out. */
const MAX_LINK_LENGTH = 1500;

/** The console link for a Slack-rendered message (Slack, Chatbot), or null when it is too long to keep whole. */
export function consoleLinkFor(finding: Finding): string | null {
  const link = consoleLink(finding);
  return link && link.length <= MAX_LINK_LENGTH ? link : null;
}

/** Short, scalar details (dates, windows, error codes) read well in a context line; structures stay in the JSON. */
function detailLine(details: Record<string, unknown>): string | null {
  const items = Object.entries(details)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .slice(0, 6)
    .map(([k, v]) => `${slackText(k)}: ${code(String(v), 120)}`);
  return items.length ? items.join('  ·  ') : null;
}

function field(label: string, value: string | null): TextObject | null {
  return value ? mrkdwn(`*${label}*\n${value}`, SLACK_LIMITS.fieldText) : null;
}

export function fallbackText(severity: Severity, title: string): string {
  return truncate(`${SEVERITY_STYLE[severity].emoji} ${severity}: ${slackText(title)}`, SLACK_LIMITS.fallbackText);
}

/**
 * One finding, readable at a glance on a phone: severity colour and emoji, title, secret, account
 * and region, who from where, when, what it means, what to do (commands as code), a console link.
 */
export function slackFindingMessage(finding: Finding): SlackMessage {
  const style = SEVERITY_STYLE[finding.severity];
  const where = [finding.account ? code(finding.account) : null, finding.region ? code(finding.region) : null].filter(Boolean).join(' · ');
  const fields = [
    field(resourceKind(finding.resource), code(resourceLabel(finding.resource))),
    field('Account · region', where || null),
    field('Who', who(finding)),
    field('From', from(finding)),
    field('When', finding.event ? slackDate(finding.event.time) : 'inventory scan'),
    field('Check', code(finding.check)),
  ].filter((f): f is TextObject => f !== null);

  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${style.emoji} ${finding.severity} · ${defang(safeLine(finding.title))}`, SLACK_LIMITS.headerText), emoji: true } },
    { type: 'section', fields: fields.slice(0, SLACK_LIMITS.fieldsPerSection) },
  ];
  if (finding.description) blocks.push({ type: 'section', text: mrkdwn(`*What it means*\n${slackText(finding.description)}`) });
  blocks.push({ type: 'section', text: mrkdwn(`*What to do*\n${remediationText(finding.remediation)}`) });
  const details = detailLine(finding.details);
  if (details) blocks.push({ type: 'context', elements: [mrkdwn(details)] });
  const link = consoleLinkFor(finding);
  const footer = [
    link ? `<${escapeMrkdwn(link)}|Open in the Secrets Manager console>` : null,
    finding.event ? `${slackText(finding.event.name)} ${code(finding.event.id ?? 'no event id', 80)}` : null,
    finding.resource.arn ? code(finding.resource.arn) : null,
  ].filter((x): x is string => x !== null);
  if (footer.length) blocks.push({ type: 'context', elements: footer.map((t) => mrkdwn(t)) });

  return { text: fallbackText(finding.severity, finding.title), attachments: [{ color: style.color, blocks }], unfurl_links: false, unfurl_media: false };
}

/** Room kept for the header, the summary and the footer when the list is cut. */
const DIGEST_FIXED_BLOCKS = 4;

function digestEntryLine(entry: Digest['entries'][number], markNew: boolean, withAccount: boolean): string {
  const style = SEVERITY_STYLE[entry.severity];
  return `${style.emoji} *${entry.severity}* ${withAccount ? `${code(entry.account ?? 'unknown')} ` : ''}${code(entry.secret, 200)} ${slackText(truncate(entry.title, 300))}${markNew && entry.isNew ? ' _(new)_' : ''}`;
}

/**
 * Packs lines into as few sections as Slack's text limit allows, and stops when the block budget
 * is spent: the lines left over are counted, not lost without a word.
 */
function packLines(lines: readonly string[], maxBlocks: number): { blocks: Block[]; shown: number } {
  const blocks: Block[] = [];
  let current: string[] = [];
  let length = 0;
  let shown = 0;
  for (const line of lines) {
    const add = line.length + (current.length ? 1 : 0);
    if (current.length && length + add > SLACK_LIMITS.sectionText) {
      if (blocks.length + 1 >= maxBlocks) break;
      blocks.push({ type: 'section', text: mrkdwn(current.join('\n')) });
      current = [];
      length = 0;
    }
    current.push(line);
    length += line.length + (current.length > 1 ? 1 : 0);
    shown++;
  }
  if (current.length) blocks.push({ type: 'section', text: mrkdwn(current.join('\n')) });
  return { blocks, shown };
}

/**
 * A scan digest as one message: what the scan found, then the list, most urgent first, cut to
 * Slack's block limits with "and N more" (those and the ones the digest itself left out).
 */
export function slackDigestMessage(digest: Digest, maxBlocks: number = SLACK_LIMITS.blocksPerMessage): SlackMessage {
  const severity = digestSeverity(digest);
  const style = SEVERITY_STYLE[severity];
  const where = [digest.account ? code(digest.account) : null, digest.region ? code(digest.region) : null].filter(Boolean).join(' · ');
  const title = digest.scope === 'full' ? `Weekly SecretWatch digest: ${digest.findings} finding(s), ${digest.newFindings} new` : `SecretWatch scan: ${digest.newFindings} new finding(s)`;
  const counts = SEVERITIES.filter((s) => digest.bySeverity[s])
    .map((s) => `${s} ${digest.bySeverity[s]}`)
    .join(' · ');
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${style.emoji} ${title}`, SLACK_LIMITS.headerText), emoji: true } },
    {
      type: 'section',
      fields: [
        mrkdwn(digest.accounts > 1 ? `*Accounts · region*\n${digest.accounts} · ${where || '_unknown_'} (central)` : `*Account · region*\n${where || '_unknown_'}`, SLACK_LIMITS.fieldText),
        mrkdwn(`*Scanned*\n${slackDate(digest.scannedAt)}`, SLACK_LIMITS.fieldText),
        mrkdwn(`*Secrets*\n${digest.secrets}`, SLACK_LIMITS.fieldText),
        mrkdwn(`*All findings*\n${digest.findings}${counts ? ` (${counts})` : ''}`, SLACK_LIMITS.fieldText),
      ],
    },
  ];
  const lines = digest.entries.map((e) => digestEntryLine(e, digest.scope === 'full', digest.accounts > 1));
  if (lines.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn(digest.findings === 0 ? 'No findings: every secret is compliant.' : `Nothing at or above ${digest.notifyMinSeverity}.`) });
  } else {
    const packed = packLines(lines, Math.max(1, maxBlocks - DIGEST_FIXED_BLOCKS));
    blocks.push(...packed.blocks);
    const more = lines.length - packed.shown + digest.omitted;
    if (more > 0)
      blocks.push({ type: 'section', text: mrkdwn(`…and ${more} more. Every finding, with the command to fix it, is on the findings bus; \`secretwatch scan --format table\` lists them too.`) });
  }
  blocks.push({
    type: 'context',
    elements: [mrkdwn(`Listed: ${escapeMrkdwn(digest.notifyMinSeverity)} and above${digest.scope === 'new' ? `, non-compliant since ${code(digest.window.from)}` : ''}.`)],
  });
  return { text: fallbackText(severity, title), attachments: [{ color: style.color, blocks }], unfurl_links: false, unfurl_media: false };
}

/** A finding that closed: a green line saying what it was and why it closed, no call to action. */
export function slackResolvedMessage(resolved: ResolvedFinding): SlackMessage {
  const where = [resolved.account ? code(resolved.account) : null, resolved.region ? code(resolved.region) : null].filter(Boolean).join(' · ');
  const fields = [
    field(resourceKind(resolved.resource), code(resourceLabel(resolved.resource))),
    field('Account · region', where || null),
    field('Check', `${code(resolved.check)} (was ${resolved.severity})`),
    field('Closed', slackDate(resolved.resolvedAt)),
  ].filter((f): f is TextObject => f !== null);
  const why = `*Why* ${escapeMrkdwn(resolved.reason)}${resolved.event ? ` (${escapeMrkdwn(resolved.event.name)} ${code(resolved.event.id ?? 'no event id', 80)})` : ''}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${RESOLVED_EMOJI} Resolved · ${resolved.title.replace(/\s+/g, ' ')}`, SLACK_LIMITS.headerText), emoji: true } },
    { type: 'section', fields },
    { type: 'section', text: mrkdwn(why) },
  ];
  return {
    text: truncate(`${RESOLVED_EMOJI} Resolved: ${escapeMrkdwn(resolved.title.replace(/\s+/g, ' '))}`, SLACK_LIMITS.fallbackText),
    attachments: [{ color: RESOLVED_COLOR, blocks }],
    unfurl_links: false,
    unfurl_media: false,
  };
}
