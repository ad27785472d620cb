import Table from 'cli-table3';
import type { Finding } from './finding';

export const OUTPUT_FORMATS = ['table', 'json', 'markdown'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `--format json`: one finding per line, nothing else. */
export function findingJsonLine(finding: Finding): string {
  return `${JSON.stringify(finding)}\n`;
}

function who(finding: Finding): string {
  const a = finding.actor;
  if (!a) return '';
  const name = a.arn ? a.arn.replace(/^arn:aws[a-z-]*:(iam|sts)::\d*:/, '') : (a.type ?? '');
  return a.sourceIp ? `${name} (${a.sourceIp})` : name;
}

function when(finding: Finding): string {
  return finding.event?.time.replace('T', ' ').replace('Z', '') ?? '';
}

function where(finding: Finding): string {
  return [finding.account, finding.region].filter(Boolean).join(' ');
}

const COLUMNS = ['Time (UTC)', 'Severity', 'Check', 'Secret', 'Account / region', 'Actor'];

function row(f: Finding): string[] {
  return [when(f), f.severity, f.check, f.secret.name ?? f.secret.id ?? '', where(f), who(f)];
}

/** For a terminal: one row per finding, then each finding's title and remediation is in json/markdown. */
export function findingsTable(findings: readonly Finding[], width = 160): string {
  if (findings.length === 0) return 'No findings.\n';
  const table = new Table({ head: COLUMNS, style: { head: [], border: [] }, wordWrap: true, colWidths: columnWidths(width) });
  for (const f of findings) table.push(row(f));
  return `${table.toString()}\n`;
}

function columnWidths(width: number): number[] {
  const fixed = [21, 10, 28];
  const rest = Math.max(width - fixed.reduce((a, b) => a + b, 0) - 8, 45);
  return [...fixed, Math.floor(rest * 0.35), 22, Math.floor(rest * 0.65) - 22 > 12 ? Math.floor(rest * 0.65) - 22 : 12];
}

function mdCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([`*_<>[\]])/g, '\\$1');
}

/** For a pull request or a ticket: a table, then what to do about each finding. */
export function findingsMarkdown(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  const lines = [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...findings.map((f) => `| ${row(f).map(mdCell).join(' | ')} |`),
    '',
    ...findings.flatMap((f, i) => [`${i + 1}. **${f.severity}** ${mdCell(f.title)}: ${mdCell(f.remediation)}`]),
  ];
  return `${lines.join('\n')}\n`;
}
