import Table from 'cli-table3';
import { mdCell } from '../findings/render';
import type { AccessGrant, AccessReport, Reader, TrustedEntity } from './types';

/** Policies are hostile input: no terminal control sequence of theirs reaches the screen. */
function printable(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function grantText(g: AccessGrant): string {
  const where = g.via === 'resource' ? `resource policy ${g.statement}` : `${g.policy}${g.group ? ` (group ${g.group})` : ''} ${g.statement}`;
  return g.conditions.length ? `${where}, ${g.conditions.join('; ')}` : where;
}

function trustText(t: TrustedEntity): string {
  return `${t.principal} (${t.type}${t.actions.length === 1 && t.actions[0] === 'sts:AssumeRole' ? '' : `, ${t.actions.join(', ')}`})${t.conditions.length ? ` when ${t.conditions.join('; ')}` : ''}`;
}

function cells(r: Reader): string[] {
  return [
    r.otherAccount ? `${r.principal} (other account)` : r.principal,
    r.type,
    r.via.join(', '),
    r.grants.map(grantText).join('\n'),
    r.assumableBy.map(trustText).join('\n'),
    r.blockedBy ?? '',
  ].map(printable);
}

const COLUMNS = ['Principal', 'Type', 'Via', 'Grants (and what still applies)', 'Assumable by', 'Blocked by'];

function heading(report: AccessReport): string {
  const s = report.secret;
  const key = s.customerManagedKey ? `customer managed key ${s.kmsKey}` : s.kmsKey === 'aws/secretsmanager' ? 'the AWS managed key aws/secretsmanager' : `the AWS managed key ${s.kmsKey}`;
  const readers = report.readers.filter((r) => r.blockedBy === null).length;
  const blocked = report.readers.length - readers;
  return printable(
    `${s.name} (${s.arn}), encrypted with ${key}, ${s.hasResourcePolicy ? 'with' : 'without'} a resource policy: ` +
      `${readers} principal(s) can call GetSecretValue${blocked ? `, ${blocked} more allowed but blocked` : ''}`,
  );
}

/** For a terminal: one row per reader, then what the answer leaves out. */
export function accessTable(report: AccessReport, width = 160): string {
  const lines = [heading(report)];
  if (report.readers.length) {
    // Principals are shown whole when they fit; the grants, trust and block columns share the rest.
    const principal = Math.min(Math.max(...report.readers.map((r) => cells(r)[0].length), 12) + 2, 48);
    const rest = Math.max(width - principal - 14 - 18 - 7, 60);
    const grants = Math.ceil(rest * 0.45);
    const trust = Math.floor(rest * 0.3);
    const table = new Table({ head: COLUMNS, style: { head: [], border: [] }, wordWrap: true, wrapOnWordBoundary: false, colWidths: [principal, 14, 18, grants, trust, rest - grants - trust] });
    for (const r of report.readers) table.push(cells(r));
    lines.push(table.toString());
  }
  lines.push('Not considered:', ...report.notConsidered.map((n) => `  - ${printable(n)}`));
  return `${lines.join('\n')}\n`;
}

/** For a ticket or a review: the same as a markdown table. */
export function accessMarkdown(report: AccessReport): string {
  const lines = [
    `**${mdCell(heading(report))}**`,
    '',
    ...(report.readers.length
      ? [
          `| ${COLUMNS.join(' | ')} |`,
          `|${COLUMNS.map(() => '---').join('|')}|`,
          ...report.readers.map(
            (r) =>
              `| ${cells(r)
                .map((c) => mdCell(c.replace(/\n/g, '; ')))
                .join(' | ')} |`,
          ),
          '',
        ]
      : []),
    'Not considered:',
    '',
    ...report.notConsidered.map((n) => `- ${mdCell(printable(n))}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `--format json`: the report as one object on one line. */
export function accessJson(report: AccessReport): string {
  return `${JSON.stringify(report)}\n`;
}
