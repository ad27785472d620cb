import { checkById } from '../../src/checks';
import { SEVERITIES } from '../../src/findings/severity';
import { code, escapeMrkdwn, SEVERITY_STYLE, SLACK_LIMITS, slackDigestMessage, slackFindingMessage, truncate, type Block, type SlackMessage, type TextObject } from '../../src/findings/slack';
import { centralDigestOf, digestOf, forceDeletedFinding, hostileFinding } from '../helpers/findings';

function texts(block: Block): TextObject[] {
  if (block.type === 'header') return [block.text];
  if (block.type === 'section') return [...(block.text ? [block.text] : []), ...(block.fields ?? [])];
  if (block.type === 'context') return block.elements;
  return [];
}

/** Every limit Slack enforces on what we send; a message over any of them is refused with invalid_blocks. */
function expectWithinSlackLimits(message: SlackMessage): void {
  const [attachment] = message.attachments;
  expect(message.attachments).toHaveLength(1);
  expect(attachment.color).toMatch(/^#[0-9A-F]{6}$/);
  expect(attachment.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  expect(Array.from(message.text).length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  for (const block of attachment.blocks) {
    if (block.type === 'header') {
      expect(block.text.type).toBe('plain_text');
      expect(Array.from(block.text.text).length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
    if (block.type === 'section') {
      expect(block.text || block.fields?.length).toBeTruthy();
      if (block.text) expect(Array.from(block.text.text).length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      for (const f of block.fields ?? []) expect(Array.from(f.text).length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context') expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    for (const t of texts(block)) expect(t.text.length).toBeGreaterThan(0);
  }
}

describe('a finding as a Slack message', () => {
  const finding = forceDeletedFinding();
  const meaning = checkById(finding.check)?.description;
  const message = slackFindingMessage(finding);
  const blocks = message.attachments[0].blocks;
  const all = blocks
    .flatMap(texts)
    .map((t) => t.text)
    .join('\n');

  test('matches the reviewed rendering (snapshot)', () => {
    expect(message).toMatchSnapshot();
  });

  test('leads with severity colour, emoji and title, in the notification text too', () => {
    expect(message.attachments[0].color).toBe(SEVERITY_STYLE.CRITICAL.color);
    expect(message.text).toBe(`:rotating_light: CRITICAL: ${finding.title}`);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: `:rotating_light: CRITICAL · ${finding.title}`, emoji: true } });
  });

  test('says which secret, where, who from where, when, what it means and what to do', () => {
    const fields = (blocks[1] as { fields: TextObject[] }).fields.map((f) => f.text);
    expect(fields).toEqual([
      '*Secret*\n`stratus-red-team-retrieve-secret-7`',
      '*Account · region*\n`123837392027` · `us-east-1`',
      '*Who*\n`arn:aws:iam::123837392027:user/bert-jan` (IAMUser)',
      expect.stringMatching(/^\*From\*\n`192\.168\.10\.20`\n`APN\/1\.0 HashiCorp/),
      '*When*\n<!date^1688990879^{date_short_pretty} {time_secs}|2023-07-10 12:07:59 UTC>',
      '*Check*\n`secret-force-deleted`',
    ]);
    expect(all).toContain(`*What it means*\n${meaning}`);
    expect(all).toContain('*What to do*\n');
  });

  test('the remediation command is code, ready to copy', () => {
    expect(all).toContain('`aws secretsmanager create-secret --name stratus-red-team-retrieve-secret-7 --region us-east-1`');
  });

  test('links to the secret in the console, with the event id', () => {
    const footer = blocks[blocks.length - 1];
    expect(footer.type).toBe('context');
    const text = texts(footer).map((t) => t.text);
    expect(text[0]).toBe('<https://us-east-1.console.aws.amazon.com/secretsmanager/secret?name=stratus-red-team-retrieve-secret-7&amp;region=us-east-1|Open in the Secrets Manager console>');
    expect(text[1]).toBe('DeleteSecret `dbf59de5-4d63-4aca-9fce-a657f5df89c9`');
  });

  test('stays within every Slack limit', () => expectWithinSlackLimits(message));

  test.each(SEVERITIES)('%s has its own colour and emoji', (severity) => {
    const m = slackFindingMessage({ ...finding, severity });
    expect(m.attachments[0].color).toBe(SEVERITY_STYLE[severity].color);
    expect(m.text.startsWith(`${SEVERITY_STYLE[severity].emoji} ${severity}: `)).toBe(true);
  });

  test('a scan finding (no event, no actor) says so instead of leaving gaps', () => {
    const m = slackFindingMessage({ ...finding, event: null, actor: null });
    const fields = (m.attachments[0].blocks[1] as { fields: TextObject[] }).fields.map((f) => f.text);
    expect(fields).toContain('*When*\ninventory scan');
    expect(fields.some((f) => f.startsWith('*Who*'))).toBe(false);
    expectWithinSlackLimits(m);
  });
});

describe('hostile input', () => {
  const finding = hostileFinding();
  const message = slackFindingMessage(finding);
  // Slack parses mrkdwn (and the notification text) for mentions and links; plain_text it shows as is.
  const json = JSON.stringify([message.text, ...message.attachments[0].blocks.flatMap(texts).filter((t) => t.type === 'mrkdwn')]);

  test('cannot mention anyone, link anywhere or break out of code', () => {
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U123>');
    expect(json).not.toContain('<https://evil.example');
    expect(json).toContain('&lt;!channel&gt;');
    // Only our own links and dates use Slack's <...> syntax.
    const links = [...json.matchAll(/<([^&>][^>]*)>/g)].map((m) => m[1]);
    for (const link of links) expect(link).toMatch(/^(https:\/\/us-east-1\.console\.aws\.amazon\.com\/|!date\^)/);
    for (const block of message.attachments[0].blocks.flatMap(texts)) {
      // Backticks come in pairs (our code spans); a hostile one is replaced.
      expect((block.text.match(/`/g) ?? []).length % 2).toBe(0);
    }
  });

  test('is cut to Slack limits, never refused', () => expectWithinSlackLimits(message));

  test('a console link too long to fit is left out rather than cut (a cut <url|text> is broken markup)', () => {
    expect(JSON.stringify(message)).not.toContain('Open in the Secrets Manager console');
  });
});

describe('helpers', () => {
  test("escapeMrkdwn escapes exactly Slack's control characters", () => {
    expect(escapeMrkdwn('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_');
  });

  test('truncate cuts on characters, not UTF-16 units, and marks the cut', () => {
    expect(truncate('🚀🚀🚀', 2)).toBe('🚀…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  test('code() makes one line of inline code, without the backticks of its input', () => {
    expect(code('a`b\nc')).toBe("`a'b c`");
    expect(code(null)).toBe('_unknown_');
    expect(code('   ')).toBe('_unknown_');
  });
});

describe('a scan digest as one Slack message', () => {
  test('a small digest lists every entry, most urgent first (snapshot)', () => {
    const message = slackDigestMessage(digestOf(4));
    expect(message).toMatchSnapshot();
    expectWithinSlackLimits(message);
    const list = message.attachments[0].blocks
      .flatMap(texts)
      .map((t) => t.text)
      .join('\n');
    expect(list.indexOf('*HIGH*')).toBeLessThan(list.indexOf('*MEDIUM*'));
    expect(list).not.toContain('more');
  });

  test.each([10, 200, 5000])('%i entries: within the block limits, the rest counted as "and N more"', (count) => {
    const digest = digestOf(count);
    const message = slackDigestMessage(digest);
    expectWithinSlackLimits(message);
    const text = message.attachments[0].blocks
      .flatMap(texts)
      .map((t) => t.text)
      .join('\n');
    const shown = (text.match(/`app\/service-\d+`/g) ?? []).length;
    const more = /…and (\d+) more/.exec(text);
    expect(shown + Number(more?.[1] ?? 0)).toBe(count);
    if (shown < count) expect(more).not.toBeNull();
  });

  test('entries the digest itself left out (to fit SNS) are counted too', () => {
    const digest = { ...digestOf(3), omitted: 120 };
    const text = slackDigestMessage(digest)
      .attachments[0].blocks.flatMap(texts)
      .map((t) => t.text)
      .join('\n');
    expect(text).toContain('…and 120 more');
  });

  test('a tight block budget still ends with the count', () => {
    const message = slackDigestMessage(digestOf(500), 6);
    expect(message.attachments[0].blocks.length).toBeLessThanOrEqual(6);
    expect(JSON.stringify(message)).toMatch(/…and \d+ more/);
  });

  test('a central scan: the accounts counted in the summary, each entry led by its account', () => {
    const message = slackDigestMessage(centralDigestOf(2));
    expectWithinSlackLimits(message);
    const all = message.attachments[0].blocks
      .flatMap(texts)
      .map((t) => t.text)
      .join('\n');
    expect(all).toContain('*Accounts · region*\n3 · `111122223333` · `eu-west-1` (central)');
    expect(all).toMatch(/\*HIGH\* `111122223333` `app\/service-0`/);
    expect(all).toMatch(/\*MEDIUM\* `222233334444` `app\/service-1`/);
  });

  test('a scan with nothing to list says so', () => {
    const empty = digestOf(0);
    const text = JSON.stringify(slackDigestMessage(empty));
    expect(text).toContain('No findings: every secret is compliant.');
    expect(slackDigestMessage(empty).attachments[0].color).toBe(SEVERITY_STYLE.INFO.color);
  });

  test('the weekly digest marks the new entries', () => {
    const text = JSON.stringify(slackDigestMessage(digestOf(3, 'full')));
    expect(text).toContain('Weekly SecretWatch digest');
    expect(text).toContain('_(new)_');
  });
});
