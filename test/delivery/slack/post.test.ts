/**
 * postToSlack against a real HTTP server on 127.0.0.1 playing Slack's incoming webhook: every
 * answer Slack gives (200, 429 with Retry-After, 5xx, 4xx), a server that never answers, and one
 * that is not there. Waits are recorded, not slept, where their length is what is tested.
 */
import { postToSlack, redact, retryAfterMs, SlackPermanentError, SlackTransientError, type PostOptions } from '../../../src/delivery/slack/post';
import { FakeSlack, recordingLog, useFakeSlack, WEBHOOK_PATH, WEBHOOK_TOKEN } from '../../helpers/slackServer';

const slack = useFakeSlack();

const PAYLOAD = { text: 'hello', attachments: [] };

function options(overrides: Partial<PostOptions> = {}) {
  const log = recordingLog();
  const waits: number[] = [];
  const opts: PostOptions = {
    deadlineMs: Date.now() + 10_000,
    log,
    backoffMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  };
  return { opts, log, waits };
}

/** The webhook URL is a credential: not in the error, its stack, or any log line. */
function expectNoUrl(log: ReturnType<typeof recordingLog>, error?: unknown): void {
  const texts = [log.text()];
  if (error instanceof Error) texts.push(error.message, error.stack ?? '', JSON.stringify(error));
  for (const text of texts) {
    expect(text).not.toContain(WEBHOOK_TOKEN);
    expect(text).not.toContain(WEBHOOK_PATH);
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the post to fail');
}

test('200: posted once, as JSON, to the webhook', async () => {
  const { opts, log, waits } = options();
  await expect(postToSlack(slack.url, PAYLOAD, opts)).resolves.toEqual({ attempts: 1 });
  expect(slack.requests).toEqual([{ method: 'POST', path: WEBHOOK_PATH, contentType: 'application/json; charset=utf-8', body: JSON.stringify(PAYLOAD) }]);
  expect(waits).toEqual([]);
  expectNoUrl(log);
});

test('429 with Retry-After in seconds: waits that long, then posts again', async () => {
  slack.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } }, { status: 200, body: 'ok' });
  const { opts, log, waits } = options();
  await expect(postToSlack(slack.url, PAYLOAD, opts)).resolves.toEqual({ attempts: 2 });
  expect(waits).toEqual([2000]);
  expect(slack.requests).toHaveLength(2);
  expect(log.lines.find((l) => l.level === 'warn')?.extra).toMatchObject({ attempt: 1, problem: 'HTTP 429 rate_limited', waitMs: 2000 });
  expectNoUrl(log);
});

test('429 with Retry-After as an HTTP date: waits until then', async () => {
  const now = Date.parse('2024-06-01T00:00:00Z');
  slack.reply({ status: 429, headers: { 'retry-after': 'Sat, 01 Jun 2024 00:00:03 GMT' } }, { status: 200 });
  const { opts, waits } = options({ now: () => now, deadlineMs: now + 10_000 });
  await postToSlack(slack.url, PAYLOAD, opts);
  expect(waits).toEqual([3000]);
});

test('429 asking for longer than is worth waiting: no second request, a transient failure to be retried later', async () => {
  slack.reply({ status: 429, headers: { 'retry-after': '600' } });
  const { opts, log } = options();
  const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
  expect(error).toBeInstanceOf(SlackTransientError);
  expect((error as SlackTransientError).lastStatus).toBe(429);
  expect((error as Error).message).toBe('Slack rate-limited the webhook for 600 s; the message will be retried later');
  expect(slack.requests).toHaveLength(1);
  expectNoUrl(log, error);
});

test('429 whose wait would pass the deadline: gives up in time', async () => {
  slack.reply({ status: 429, headers: { 'retry-after': '5' } });
  const { opts } = options({ deadlineMs: Date.now() + 2_000 });
  const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
  expect(error).toBeInstanceOf(SlackTransientError);
  expect(slack.requests).toHaveLength(1);
});

test('500 then 200: retried after a back-off, posted', async () => {
  slack.reply({ status: 500, body: 'internal_error' }, { status: 200, body: 'ok' });
  const { opts, log, waits } = options();
  await expect(postToSlack(slack.url, PAYLOAD, opts)).resolves.toEqual({ attempts: 2 });
  expect(waits).toEqual([50]); // random 0.5 x 100 ms x 2^0
  expect(log.lines.find((l) => l.level === 'info')?.message).toBe('Slack accepted the message after retrying');
  expectNoUrl(log);
});

test('5xx every time: exponential back-off, then a transient failure naming the last answer', async () => {
  slack.reply({ status: 503, body: 'service_unavailable' });
  const { opts, log, waits } = options({ maxAttempts: 4 });
  const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
  expect(error).toBeInstanceOf(SlackTransientError);
  expect(error).toMatchObject({ attempts: 4, lastStatus: 503 });
  expect((error as Error).message).toBe('Slack did not take the message after 4 attempt(s) (HTTP 503 service_unavailable); the message will be retried');
  expect(waits).toEqual([50, 100, 200]);
  expect(slack.requests).toHaveLength(4);
  expectNoUrl(log, error);
});

test.each([
  [404, 'channel_not_found', true],
  [410, 'channel_is_archived', true],
  [403, 'action_prohibited', true],
  [400, 'invalid_blocks', false],
])('%i %s: permanent, one request and no retry', async (status, body, gone) => {
  slack.reply({ status, body }, { status: 200 });
  const { opts, log, waits } = options();
  const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
  expect(error).toBeInstanceOf(SlackPermanentError);
  expect(error).toMatchObject({ status, slackError: body, webhookGone: gone });
  expect((error as Error).message).toBe(`Slack refused the message: HTTP ${status} ${body}`);
  expect(slack.requests).toHaveLength(1);
  expect(waits).toEqual([]);
  expectNoUrl(log, error);
});

test('a server that never answers: each attempt times out, and the post gives up by the deadline', async () => {
  slack.reply('hang');
  const started = Date.now();
  const { opts, log } = options({ attemptTimeoutMs: 150, deadlineMs: started + 700, sleep: undefined, backoffMs: 20 });
  const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
  expect(error).toBeInstanceOf(SlackTransientError);
  expect((error as Error).message).toMatch(/no answer within \d+ ms/);
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(slack.requests.length).toBeGreaterThanOrEqual(2);
  expectNoUrl(log, error);
});

test('a connection closed without an answer is retried like a 5xx', async () => {
  slack.reply('drop', { status: 200 });
  const { opts } = options();
  await expect(postToSlack(slack.url, PAYLOAD, opts)).resolves.toEqual({ attempts: 2 });
});

test('nothing listening: transient, and the error names no URL', async () => {
  const closed = new FakeSlack();
  await closed.start();
  const url = closed.url;
  await closed.stop();
  const { opts, log } = options({ maxAttempts: 2 });
  const error = await failure(postToSlack(url, PAYLOAD, opts));
  expect(error).toBeInstanceOf(SlackTransientError);
  expect((error as SlackTransientError).lastStatus).toBeNull();
  expectNoUrl(log, error);
});

test('no time left: no request at all', async () => {
  const { opts } = options({ deadlineMs: Date.now() - 1 });
  const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
  expect(error).toBeInstanceOf(SlackTransientError);
  expect((error as Error).message).toContain('no time left');
  expect(slack.requests).toHaveLength(0);
});

test('a response body that echoes the URL is redacted before it reaches an error', async () => {
  slack.reply({ status: 400, body: `bad request to ${slack.url.href}` });
  const { opts, log } = options();
  const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
  expect((error as Error).message).toContain('[webhook URL]');
  expectNoUrl(log, error);
});

test.each([
  ['7', 7000],
  [' 0 ', 0],
  ['soon', null],
  [null, null],
])('Retry-After %j is %j ms', (header, ms) => {
  expect(retryAfterMs(header, 0)).toBe(ms);
});

test('redact removes the URL, and each secret part of its path wherever it appears', () => {
  const url = new URL(`https://hooks.slack.com${WEBHOOK_PATH}`);
  expect(redact(`x ${url.href} y ${WEBHOOK_PATH} z`, url)).toBe('x [webhook URL] y /services/[webhook secret]/[webhook secret]/[webhook secret] z');
});

describe('the webhook URL and its token never reach an error or a log, in any form', () => {
  /** Eight characters in a row of any secret part of the path (case ignored): what would identify the credential. */
  function leaks(text: string): string[] {
    const lower = text.toLowerCase();
    const parts = WEBHOOK_PATH.split('/').filter((p) => /\d/.test(p));
    const found: string[] = [];
    for (const part of parts) for (let i = 0; i + 8 <= part.length; i++) if (lower.includes(part.slice(i, i + 8).toLowerCase())) found.push(part.slice(i, i + 8));
    return found;
  }

  async function errorFor(status: number, body: string): Promise<{ text: string; error: unknown }> {
    slack.reply({ status, body });
    const { opts, log } = options({ maxAttempts: 2 });
    const error = await failure(postToSlack(slack.url, PAYLOAD, opts));
    expect(error).toBeInstanceOf(status >= 500 ? SlackTransientError : SlackPermanentError);
    const texts = [log.text(), (error as Error).message, (error as Error).stack ?? '', JSON.stringify(error)];
    if (error instanceof SlackPermanentError) texts.push(error.slackError);
    return { text: texts.join('\n'), error };
  }

  test.each([404, 500])('an HTTP %i whose body echoes the request', async (status) => {
    const { text } = await errorFor(status, `no_service: POST ${slack.url.href} (path ${WEBHOOK_PATH}) was not found`);
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('[webhook URL]');
  });

  test.each([
    ['the URL percent-encoded', () => encodeURIComponent(slack.url.href)],
    ['the URL encoded twice', () => encodeURIComponent(encodeURIComponent(slack.url.href))],
    ['the URL JSON-escaped', () => JSON.stringify({ url: slack.url.href }).slice(1, -1)],
    ['the URL in upper case', () => slack.url.href.toUpperCase()],
    ['the bare token', () => `token=${WEBHOOK_TOKEN}`],
    ['the token cut short', () => `token ${WEBHOOK_TOKEN.slice(0, 9)}`],
  ])('a body holding %s', async (_form, body) => {
    const { text } = await errorFor(400, `invalid_token: ${body()}`);
    expect(leaks(text)).toEqual([]);
  });

  test('the URL at every offset of a long body (the display cut falls everywhere across it)', async () => {
    const href = slack.url.href;
    for (let offset = 0; offset <= 130; offset += 1) {
      const { text } = await errorFor(404, `${'x'.repeat(offset)}${href} and more`);
      expect({ offset, leaks: leaks(text) }).toEqual({ offset, leaks: [] });
    }
  });

  test('a body cut by the server at every offset of the URL', async () => {
    const href = slack.url.href;
    for (let end = 0; end <= href.length; end++) {
      const { text } = await errorFor(404, `echo ${href.slice(0, end)}`);
      expect({ end, leaks: leaks(text) }).toEqual({ end, leaks: [] });
    }
  });
});
