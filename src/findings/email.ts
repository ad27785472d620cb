import type { Finding } from './finding';

function line(label: string, value: string | null | undefined): string | null {
  return value ? `${label.padEnd(10)} ${value}` : null;
}

function consoleLink(finding: Finding): string | null {
  const region = finding.region;
  const name = finding.secret.name;
  if (!region || !name || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) return null;
  return `https://${region}.console.aws.amazon.com/secretsmanager/secret?name=${encodeURIComponent(name)}&region=${region}`;
}

/** The plain-text body for email subscribers: what happened, who, where, what to do. */
export function emailText(finding: Finding): string {
  const actor = finding.actor;
  const who = actor ? [actor.arn ?? actor.type, actor.sourceIp ? `from ${actor.sourceIp}` : null].filter(Boolean).join(' ') : null;
  const details = Object.entries(finding.details)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [
    `${finding.severity}: ${finding.title}`,
    '',
    line('Check', finding.check),
    line('Secret', finding.secret.name ?? finding.secret.id),
    line('ARN', finding.secret.arn),
    line('Account', finding.account),
    line('Region', finding.region),
    line('Who', who),
    line('Client', actor?.userAgent),
    line('When', finding.event?.time),
    line('Event', finding.event ? `${finding.event.name} ${finding.event.id ?? ''}`.trim() : null),
    ...(details.length ? ['', 'Details:', ...details] : []),
    '',
    'What to do:',
    finding.remediation,
    ...(consoleLink(finding) ? ['', `Console: ${consoleLink(finding)}`] : []),
    '',
    '-- secretwatch',
  ]
    .filter((l): l is string => l !== null)
    .join('\n');
}
