import { resourceKind } from '../resources/resource';
import { commandsIn } from './commands';
import type { Finding } from './finding';
import { consoleLink } from './links';
import { safeLine } from './safeText';

/** One labelled line; a value from CloudTrail cannot add lines of its own (a forged "Who", say). */
function line(label: string, value: string | null | undefined): string | null {
  return value ? `${label.padEnd(10)} ${safeLine(value)}` : null;
}

/** "2023-07-10 12:07:59 UTC": mail clients show no time zone of their own for text in a body. */
function readableTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A value on one line: objects as "key: value; key: value", lists comma-separated. */
function inline(value: unknown): string {
  if (typeof value === 'string') return safeLine(value);
  if (Array.isArray(value)) return value.map(inline).join(', ');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${safeLine(k)}: ${typeof v === 'object' && !Array.isArray(v) ? safeLine(JSON.stringify(v)) : inline(v)}`)
      .join('; ');
  }
  return safeLine(String(value));
}

/** A list of objects (a policy's statements, say) reads best one item a line. */
function detailLines(key: string, value: unknown): string[] {
  if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) return [`  ${safeLine(key)}:`, ...value.map((v) => `    - ${inline(v)}`)];
  return [`  ${safeLine(key)}: ${inline(value)}`];
}

/**
 * The plain-text body for email subscribers: what happened, what it means (the check's own
 * description, when the caller has it), who, where, when, what to do with the commands on lines of
 * their own for copying, and the console link.
 */
export function emailText(finding: Finding): string {
  const actor = finding.actor;
  const who = actor ? [actor.arn ?? actor.type, actor.sourceIp ? `from ${actor.sourceIp}` : null].filter(Boolean).join(' ') : null;
  const details = Object.entries(finding.details)
    .filter(([, v]) => v !== null && v !== undefined)
    .flatMap(([k, v]) => detailLines(k, v));
  return [
    `${finding.severity}: ${safeLine(finding.title)}`,
    '',
    ...(finding.description ? [safeLine(finding.description), ''] : []),
    line('Check', finding.check),
    line(resourceKind(finding.resource), finding.resource.name ?? finding.resource.id),
    line('ARN', finding.resource.arn),
    line('Account', finding.account),
    line('Region', finding.region),
    line('Who', who),
    line('Client', actor?.userAgent),
    line('When', finding.event ? readableTime(finding.event.time) : 'inventory scan'),
    line('Event', finding.event ? `${finding.event.name} ${finding.event.id ?? ''}`.trim() : null),
    ...(details.length ? ['', 'Details:', ...details] : []),
    '',
    'What to do:',
    safeLine(finding.remediation),
    ...commandsIn(finding.remediation).flatMap((command, i) => [...(i === 0 ? [''] : []), `  ${safeLine(command)}`]),
    ...(consoleLink(finding) ? ['', `Console: ${consoleLink(finding)}`] : []),
    '',
    '-- secretwatch',
  ]
    .filter((l): l is string => l !== null)
    .join('\n');
}
