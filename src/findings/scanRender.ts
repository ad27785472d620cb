import Table from 'cli-table3';
import type { Finding } from './finding';
import { mdCell } from './render';
import { compareSeverity } from './severity';

const COLUMNS = ['Severity', 'Check', 'Secret', 'Since (UTC)', 'Account / region', 'Detail'];

/** The figure that says how bad it is, per scan check; empty for yes/no checks. */
function detail(f: Finding): string {
  const d = f.details;
  switch (f.check) {
    case 'rotation-overdue':
      return `${d.ageDays} days old, limit ${d.maxRotationDays}${d.maxRotationDaysSource === 'config' ? '' : ` (${d.maxRotationDaysSource})`}`;
    case 'rotation-missed':
      return `due ${String(d.nextRotationDate).slice(0, 10)}, ${d.hoursLate} hours late`;
    case 'secret-unused':
      return d.lastAccessedDate ? `last read ${String(d.lastAccessedDate).slice(0, 10)}` : 'never read';
    default:
      return '';
  }
}

function since(f: Finding): string {
  const value = f.details.nonCompliantSince;
  return typeof value === 'string' ? value.replace('T', ' ').replace(/:\d{2}Z$/, '') : '';
}

function row(f: Finding): string[] {
  return [f.severity, f.check, f.secret.name ?? f.secret.arn ?? '', since(f), [f.account, f.region].filter(Boolean).join(' '), detail(f)];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most severe first; within a severity, the longest non-compliant first. */
export function byUrgency(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(since(a), since(b)) || compareText(a.secret.name ?? '', b.secret.name ?? ''));
}

export function scanFindingsTable(findings: readonly Finding[], width = 160): string {
  if (findings.length === 0) return 'No findings.\n';
  // Severity, check, since and account/region fit their content; secret and detail share the rest.
  const [severity, check, since, where] = [10, 24, 18, 25];
  const rest = Math.max(width - severity - check - since - where - 7, 40);
  const secret = Math.ceil(rest * 0.6);
  const table = new Table({ head: COLUMNS, style: { head: [], border: [] }, wordWrap: true, wrapOnWordBoundary: false, colWidths: [severity, check, secret, since, where, rest - secret] });
  for (const f of byUrgency(findings)) table.push(row(f));
  return `${table.toString()}\n`;
}

export function scanFindingsMarkdown(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  const sorted = byUrgency(findings);
  return `${[
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...sorted.map((f) => `| ${row(f).map(mdCell).join(' | ')} |`),
    '',
    ...sorted.map((f, i) => `${i + 1}. **${f.severity}** ${mdCell(f.title)}: ${mdCell(f.remediation)}`),
  ].join('\n')}\n`;
}
