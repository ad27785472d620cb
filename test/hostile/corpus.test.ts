/**
 * The hostile corpus (test/fixtures/hostile/corpus.ts) through the real CLI and every renderer:
 * each hostile record is followed by a valid force deletion whose CRITICAL finding must survive,
 * in every output format; what the hostile records give must show no control character, no forged
 * line or row, and no link, mention or formatting that the renderer did not put there.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatbotDigestNotification, chatbotNotification } from '../../src/findings/chatbot';
import { buildDigest, digestText, scanWindow } from '../../src/findings/digest';
import { emailText } from '../../src/findings/email';
import type { Finding } from '../../src/findings/finding';
import { slackDigestMessage, slackFindingMessage, type Block } from '../../src/findings/slack';
import { subjectFor } from '../../src/findings/subject';
import { hostileCases, LINK_MARKER, survivor, UNSAFE_FOR_READERS, type HostileCase } from '../fixtures/hostile/corpus';
import { runCli } from '../helpers/cli';

jest.setTimeout(60_000);

const cases = hostileCases();
const dir = mkdtempSync(join(tmpdir(), 'secretwatch-hostile-'));

function unsafeIn(text: string): string | null {
  const m = UNSAFE_FOR_READERS.exec(text);
  return m ? `U+${(m[0].codePointAt(0) as number).toString(16).toUpperCase()} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 20), m.index + 20))}` : null;
}

function parseLines(stdout: string): Finding[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Finding);
}

/** The trail: each hostile line, then its survivor. */
function trail(selected: readonly HostileCase[], offset = 0): string {
  return `${selected.flatMap((c, i) => [c.text, survivor(offset + i).text]).join('\n')}\n`;
}

test('the corpus has every class the issue names, and enough of them', () => {
  const kinds = new Set(cases.map((c) => c.kind));
  for (const kind of ['injection-in-name', 'injection-in-actor', 'injection-in-policy', 'hostile-policy', 'out-of-range', 'wrong-type', 'prototype', 'nesting', 'envelope', 'line', 'size']) {
    expect(kinds).toContain(kind);
  }
  expect(cases.length).toBeGreaterThanOrEqual(87);
});

describe.each(cases.map((c, i) => [i, c.kind, c.name, c] as const))('#%i %s: %s', (i, _kind, _name, c) => {
  test('reported or judged, never fatal; the next record keeps its finding', async () => {
    const file = join(dir, `case-${i}.jsonl`);
    writeFileSync(file, trail([c], i));
    const run = await runCli(['replay', file, '--format', 'json']);
    const findings = parseLines(run.stdout);
    const next = survivor(i);
    expect(findings.filter((f) => f.event?.id === next.eventId).map((f) => `${f.check} ${f.severity} ${f.resource.name}`)).toEqual([`secret-force-deleted CRITICAL ${next.name}`]);
    expect(run.stderr).toMatch(/^secretwatch replay: /m);
    expect(unsafeIn(run.stderr)).toBeNull();
    if (c.expect && 'invalid' in c.expect) {
      expect(run.stderr).toContain(`${file}:1: record (byte 0`);
      expect(run.stderr).toMatch(new RegExp(`:1: record \\(byte 0[^)]*\\) skipped: ${c.expect.invalid}: `));
      expect(run.code).toBe(3);
    }
    if (c.expect && 'check' in c.expect) {
      expect(findings.filter((f) => f.event?.id !== next.eventId).map((f) => f.check)).toContain(c.expect.check);
    }
  });
});

describe('the whole corpus in one trail', () => {
  const file = join(dir, 'hostile.jsonl');
  writeFileSync(file, trail(cases));
  let findings: Finding[];

  beforeAll(async () => {
    const run = await runCli(['replay', file, '--format', 'json']);
    findings = parseLines(run.stdout);
  });

  test('json: every survivor, once, and findings from the hostile records too', () => {
    for (let i = 0; i < cases.length; i++) expect(findings.filter((f) => f.event?.id === `survivor-${i}`)).toHaveLength(1);
    expect(findings.length).toBeGreaterThan(cases.length + 30);
    // Nothing in the corpus polluted a prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  test('table: every survivor, one row per finding, no control character', async () => {
    const run = await runCli(['replay', file, '--format', 'table'], { tty: true });
    expect(unsafeIn(run.stdout)).toBeNull();
    for (let i = 0; i < cases.length; i++) expect(run.stdout).toContain(`prod/survivor-${i} `);
    // cli-table3 draws one rule above each data row: as many rules as findings, whatever the cells held.
    expect(run.stdout.split('\n').filter((line) => line.startsWith('├')).length).toBe(findings.length);
  });

  test('markdown: every survivor, one table row and one list item per finding, no live link or HTML', async () => {
    const run = await runCli(['replay', file, '--format', 'markdown']);
    const out = run.stdout;
    expect(unsafeIn(out)).toBeNull();
    for (let i = 0; i < cases.length; i++) expect(out).toContain(`prod/survivor-${i} `);
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('| ')).length).toBe(findings.length + 1);
    expect(lines.filter((l) => /^\d+\. \*\*[A-Z]+\*\* /.test(l)).length).toBe(findings.length);
    expect(out).not.toMatch(/(?<!\\)\]\(/);
    expect(out).not.toMatch(/(?<!\\)</);
    expect(out).not.toContain(`://${LINK_MARKER}`);
    expect(out).not.toContain(`www.${LINK_MARKER}`);
  });

  test('email body and subject: one line per field, nothing forged, nothing invisible', () => {
    for (const finding of findings) {
      const body = emailText(finding);
      expect({ id: finding.event?.id, unsafe: unsafeIn(body) }).toEqual({ id: finding.event?.id, unsafe: null });
      const lines = body.split('\n');
      expect(lines.filter((l) => /^Subject:/i.test(l))).toEqual([]);
      expect(lines.filter((l) => l.startsWith('Who ')).length).toBeLessThanOrEqual(1);
      expect(lines.filter((l) => l.startsWith('Check ')).length).toBe(1);
      expect(subjectFor(finding)).toMatch(/^[\x20-\x7e]{1,99}$/);
      if (finding.event?.id?.startsWith('survivor-')) expect(body).toContain(`Secret     prod/survivor-${finding.event.id.slice(9)}`);
    }
  });

  /** Slack mrkdwn outside code spans and the two constructs the renderer itself writes (the console link, dates). */
  function outsideCode(text: string): string {
    return text
      .replace(/`[^`]*`/g, '')
      .replace(/<https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/secretsmanager\/secret\?[^|>]*\|Open in the Secrets Manager console>/g, '')
      .replace(/<!date\^\d+\^[^|>]*\|[^>]*>/g, '');
  }

  /** Each text of a message: mrkdwn with the renderer's own code spans and links taken out, plain text as it is. */
  function textsOf(blocks: Block[]): { mrkdwn: boolean; text: string }[] {
    return blocks
      .flatMap((b) => {
        if (b.type === 'section') return [...(b.text ? [b.text] : []), ...(b.fields ?? [])];
        if (b.type === 'context') return b.elements;
        return b.type === 'header' ? [b.text] : [];
      })
      .map((t) => (t.type === 'mrkdwn' ? { mrkdwn: true, text: outsideCode(t.text) } : { mrkdwn: false, text: t.text }));
  }

  test('digests of the corpus (email, Slack, Chatbot): every hostile title stays on its line, inert', () => {
    const digest = buildDigest({
      findings,
      newFindings: new Set(findings),
      scope: 'full',
      secrets: findings.length,
      account: '111122223333',
      region: 'us-east-1',
      accounts: 2,
      window: scanWindow(new Date('2024-06-01T00:00:00Z'), 24),
      notifyMinSeverity: 'INFO',
    });
    const text = digestText(digest);
    expect(unsafeIn(text)).toBeNull();
    expect(text.split('\n').filter((l) => /^Subject:/i.test(l) || /^Who /.test(l))).toEqual([]);
    const slack = slackDigestMessage(digest);
    const chatbot = chatbotDigestNotification(digest);
    for (const { mrkdwn, text: t } of [...textsOf(slack.attachments[0].blocks), { mrkdwn: true, text: outsideCode(chatbot.content.description) }]) {
      expect(unsafeIn(t)).toBeNull();
      expect(t).not.toContain(LINK_MARKER);
      if (mrkdwn) expect(t).not.toMatch(/<|[*_~]pwned[*_~]|@channel/);
    }
  });

  test('Slack and Chatbot: hostile text never formats, links or mentions, and every message serialises', () => {
    for (const finding of findings) {
      const message = slackFindingMessage(finding);
      expect(() => JSON.stringify(message)).not.toThrow();
      const chatbot = chatbotNotification(finding);
      const texts = [
        { mrkdwn: true, text: outsideCode(message.text) },
        ...textsOf(message.attachments[0].blocks),
        { mrkdwn: true, text: outsideCode(chatbot.content.description) },
        { mrkdwn: true, text: outsideCode(chatbot.content.title) },
      ];
      for (const { mrkdwn, text } of texts) {
        const where = { id: finding.event?.id, text: text.slice(0, 200) };
        expect({ ...where, unsafe: unsafeIn(text) }).toEqual({ ...where, unsafe: null });
        // Plain text cannot format or mention; a client may still link a URL or a domain in it.
        expect({ ...where, link: text.includes(LINK_MARKER) }).toEqual({ ...where, link: false });
        if (!mrkdwn) continue;
        expect({ ...where, bracket: text.includes('<') }).toEqual({ ...where, bracket: false });
        expect({ ...where, format: /[*_~]pwned[*_~]|@channel/.test(text) }).toEqual({ ...where, format: false });
      }
    }
  });
});
