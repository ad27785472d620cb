import { resourceLabel } from '../resources/resource';
import Table from 'cli-table3';
import type { Finding } from './finding';
import { safeLine } from './safeText';

export const OUTPUT_FORMATS = ['table', 'json', 'markdown', 'asff', 'ocsf'] as const;
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

const COLUMNS = ['Time (UTC)', 'Severity', 'Check', 'Resource', 'Account / region', 'Actor'];

/**
 * cli-table3's hard wrap takes time that grows far faster than the text (a 10,000-character secret
 * name takes minutes): a cell holds at most this much, which is more than a terminal row shows
 * anyway; json and markdown keep the whole value.
 */
const MAX_CELL_CHARS = 400;

function clip(text: string): string {
  return text.length <= MAX_CELL_CHARS ? text : `${text.slice(0, MAX_CELL_CHARS - 3)}...`;
}

/** Every cell through safeLine, then clipped: a value from CloudTrail cannot move the cursor, clear the screen or add a row. */
function row(f: Finding): string[] {
  return [when(f), f.severity, f.check, resourceLabel(f.resource), where(f), who(f)].map((cell) => clip(safeLine(cell)));
}

/** For a terminal: one row per finding, then each finding's title and remediation is in json/markdown. */
export function findingsTable(findings: readonly Finding[], width = 160): string {
  if (findings.length === 0) return 'No findings.\n';
  const table = new Table({ head: COLUMNS, style: { head: [], border: [] }, wordWrap: true, wrapOnWordBoundary: false, colWidths: columnWidths(width) });
  for (const f of byTime(findings)) table.push(row(f));
  return `${table.toString()}\n`;
}

/** Time, severity, check and account columns fit their content; secret and actor share the rest. */
function columnWidths(width: number): number[] {
  const fixed = [21, 10, 29, 25];
  const rest = Math.max(width - fixed.reduce((a, b) => a + b, 0) - 7, 40);
  const secret = Math.ceil(rest * 0.55);
  return [fixed[0], fixed[1], fixed[2], secret, fixed[3], rest - secret];
}

/** Tables and markdown read as a timeline; scan findings (no event) come last. */
function byTime(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.event?.time ?? '\uffff').localeCompare(b.event?.time ?? '\uffff'));
}

/**
 * Markdown text from a hostile value: safeLine, then every character that Markdown (CommonMark,
 * GFM tables, HTML) gives a meaning escaped; `://` and `www.` are broken with an escaped character so
 * that GFM does not turn a value into a link the code did not put there.
 */
export function mdCell(value: string): string {
  return safeLine(value)
    .replace(/([\\`*_<>[\]|~&])/g, '\\$1')
    .replace(/:\/\//g, ':&#47;&#47;')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}&#46;`);
}

/** For a pull request or a ticket: a table, then what to do about each finding. */
export function findingsMarkdown(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  const lines = [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map(() => '---').join('|')}|`,
    ...byTime(findings).map((f) => `| ${row(f).map(mdCell).join(' | ')} |`),
    '',
    ...byTime(findings).flatMap((f, i) => [`${i + 1}. **${f.severity}** ${mdCell(f.title)}: ${mdCell(f.remediation)}`]),
  ];
  return `${lines.join('\n')}\n`;
}
