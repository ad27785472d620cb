import { resourceLabel } from '../resources/resource';
import Table from 'cli-table3';
import type { Finding } from './finding';
import { mdCell } from './render';
import { safeLine } from './safeText';
import { compareSeverity } from './severity';

const COLUMNS = ['Severity', 'Check', 'Resource', 'Since (UTC)', 'Account / region', 'Detail'];

/** The figure that says how bad a finding is (its check's summary line); empty for yes/no checks. */
export type FindingSummary = (finding: Finding) => string;

function since(f: Finding): string {
  const value = f.details.nonCompliantSince;
  return typeof value === 'string' ? value.replace('T', ' ').replace(/:\d{2}Z$/, '') : '';
}

function row(f: Finding, summary: FindingSummary): string[] {
  return [f.severity, f.check, resourceLabel(f.resource), since(f), [f.account, f.region].filter(Boolean).join(' '), summary(f)].map(safeLine);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Most severe first; within a severity, the longest non-compliant first. */
export function byUrgency(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(since(a), since(b)) || compareText(resourceLabel(a.resource), resourceLabel(b.resource)));
}

export function scanFindingsTable(findings: readonly Finding[], summary: FindingSummary, width = 160): string {
  if (findings.length === 0) return 'No findings.\n';
  // Severity, check, since and account/region fit their content; secret and detail share the rest.
  const [severity, check, since, where] = [10, 24, 18, 25];
  const rest = Math.max(width - severity - check - since - where - 7, 40);
  const secret = Math.ceil(rest * 0.6);
  const table = new Table({ head: COLUMNS, style: { head: [], border: [] }, wordWrap: true, wrapOnWordBoundary: false, colWidths: [severity, check, secret, since, where, rest - secret] });
  for (const f of byUrgency(findings)) table.push(row(f, summary));
  return `${table.toString()}\n`;
}

export function scanFindingsMarkdown(findings: readonly Finding[], summary: FindingSummary): string {
  if (findings.length === 0) return 'No findings.\n';
  const sorted = byUrgency(findings);
  return `${[
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...sorted.map((f) => `| ${row(f, summary).map(mdCell).join(' | ')} |`),
    '',
    ...sorted.map((f, i) => `${i + 1}. **${f.severity}** ${mdCell(f.title)}: ${mdCell(f.remediation)}`),
  ].join('\n')}\n`;
}
