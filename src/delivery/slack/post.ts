import { errorField, type Log } from '../log';

/**
 * Posts one message to a Slack incoming webhook, within a time budget:
 * - 2xx: done;
 * - 429: waits what Retry-After says (when that fits the budget), then tries again;
 * - 5xx, a timeout or a network error: backs off exponentially, with jitter, and tries again;
 * - any other 4xx: permanent (the webhook is gone, the channel archived, the payload refused):
 *   one attempt, no retry storm;
 * - budget or attempts spent: a transient failure, for the caller to fail the invocation so that
 *   Lambda retries it later and finally dead-letters it.
 * The URL is a credential: no error or log line here contains it (see redact()).
 */

export interface PostOptions {
  /** Epoch ms after which no attempt starts and no wait ends: the invocation's own deadline. */
  deadlineMs: number;
  log: Log;
  /** Per attempt; shortened to the time left. */
  attemptTimeoutMs?: number;
  maxAttempts?: number;
  /** First back-off after a 5xx or network error; doubles each time, with full jitter. */
  backoffMs?: number;
  /** Waiting this long for a 429's Retry-After is never worth a Lambda's time: give up, be retried. */
  maxRetryAfterMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface PostResult {
  attempts: number;
}

/** Slack refused the message for good: retrying the same request cannot succeed. */
export class SlackPermanentError extends Error {
  override readonly name = 'SlackPermanentError';
  constructor(
    readonly status: number,
    /** Slack's own reason, e.g. "channel_not_found", "invalid_blocks". */
    readonly slackError: string,
  ) {
    super(`Slack refused the message: HTTP ${status} ${slackError}`);
  }
  /** The webhook itself is gone (revoked, channel deleted or archived): its URL may have been rotated. */
  get webhookGone(): boolean {
    return this.status === 403 || this.status === 404 || this.status === 410;
  }
}

/** Slack could not take the message in the time there was; a later attempt may succeed. */
export class SlackTransientError extends Error {
  override readonly name = 'SlackTransientError';
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastStatus: number | null,
  ) {
    super(message);
  }
}

const DEFAULTS = { attemptTimeoutMs: 10_000, maxAttempts: 6, backoffMs: 500, maxRetryAfterMs: 60_000 };
/** Slack's error bodies are short codes; anything longer is not worth keeping. */
const MAX_BODY_CHARS = 120;
/** Of a long body, only this much is read at all (after it the message is cut anyway). */
const MAX_BODY_SCANNED = 64 * 1024;
/** A run of this many characters of a secret part is taken to be that part, however it was cut. */
const SECRET_GRAM = 8;

/**
 * The secret parts of the URL: each path segment and query value other than a plain route word
 * ("services"). Slack's are the workspace, the channel's webhook and its token.
 */
function secretParts(url: URL): string[] {
  const parts = [...url.pathname.split('/'), ...[...url.searchParams.values()]].map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return parts.filter((p) => p.length > 0 && !/^[a-z]+$/.test(p));
}

/** Every piece of SECRET_GRAM characters of the parts (a shorter part whole), lower case. */
function secretGrams(url: URL): string[] {
  const grams = new Set<string>();
  for (const part of secretParts(url).map((p) => p.toLowerCase())) {
    if (part.length <= SECRET_GRAM) grams.add(part);
    else for (let i = 0; i + SECRET_GRAM <= part.length; i++) grams.add(part.slice(i, i + SECRET_GRAM));
  }
  return [...grams];
}

/**
 * Removes the webhook URL from a text that may have picked it up (an error body that echoes the
 * request, a network error naming it), in every form: the URL as written, percent-encoded or
 * JSON-escaped, and any run of URL characters holding SECRET_GRAM or more characters of a secret
 * part in a row (the bare token, an encoded or cut copy). Done on the whole text before it is cut
 * for display, so that a cut cannot leave half a token behind.
 */
export function redact(text: string, url: URL): string {
  let out = text;
  for (const form of new Set([url.href, encodeURIComponent(url.href), url.href.replace(/\//g, '\\/')])) out = out.split(form).join('[webhook URL]');
  const grams = secretGrams(url);
  if (grams.length === 0) return out;
  // Runs of the characters a URL or its encoding keeps together; a part can only hide in one.
  return out.replace(/[A-Za-z0-9_~%.-]+/g, (run) => {
    const lower = run.toLowerCase();
    return grams.some((g) => lower.includes(g)) ? '[webhook secret]' : run;
  });
}

/** Retry-After in seconds, or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Slack's answer, safe to log: redacted first, then folded to one line and cut. */
function bodyCode(body: string, url: URL): string {
  const oneLine = redact(body.slice(0, MAX_BODY_SCANNED), url).replace(/\s+/g, ' ').trim();
  return oneLine ? Array.from(oneLine).slice(0, MAX_BODY_CHARS).join('') : 'no body';
}

type Attempt = { kind: 'ok' } | { kind: 'status'; status: number; body: string; retryAfter: string | null } | { kind: 'network'; reason: string };

async function attempt(url: URL, body: string, timeoutMs: number): Promise<Attempt> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.ok) return { kind: 'ok' };
    return { kind: 'status', status: res.status, body: text, retryAfter: res.headers.get('retry-after') };
  } catch (error) {
    // By name, not class: the abort's DOMException comes from another realm under some runners.
    if ((error as { name?: unknown } | null)?.name === 'TimeoutError') return { kind: 'network', reason: `no answer within ${timeoutMs} ms` };
    const field = errorField(error);
    const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
    return { kind: 'network', reason: `${field.message}${typeof cause === 'string' ? `: ${cause}` : ''}` };
  }
}

export async function postToSlack(url: URL, payload: unknown, options: PostOptions): Promise<PostResult> {
  const o = { ...DEFAULTS, ...options };
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = o.random ?? Math.random;
  const body = JSON.stringify(payload);
  let lastStatus: number | null = null;
  let lastProblem = 'no time left for an attempt';
  let attempts = 0;

  for (let n = 1; n <= o.maxAttempts; n++) {
    const left = o.deadlineMs - now();
    if (left <= 0) break;
    attempts = n;
    const result = await attempt(url, body, Math.min(o.attemptTimeoutMs, left));
    if (result.kind === 'ok') {
      if (n > 1) o.log.info('Slack accepted the message after retrying', { attempts: n });
      return { attempts: n };
    }
    let waitMs: number;
    if (result.kind === 'network') {
      lastStatus = null;
      lastProblem = redact(result.reason, url);
      waitMs = random() * o.backoffMs * 2 ** (n - 1);
    } else {
      lastStatus = result.status;
      const code = bodyCode(result.body, url);
      lastProblem = `HTTP ${result.status} ${code}`;
      if (result.status === 429) {
        const told = retryAfterMs(result.retryAfter, now());
        waitMs = told ?? random() * o.backoffMs * 2 ** (n - 1);
        if (told !== null && told > o.maxRetryAfterMs) {
          throw new SlackTransientError(`Slack rate-limited the webhook for ${Math.ceil(told / 1000)} s; the message will be retried later`, n, 429);
        }
      } else if (result.status >= 500) {
        waitMs = random() * o.backoffMs * 2 ** (n - 1);
      } else {
        throw new SlackPermanentError(result.status, code);
      }
    }
    const remaining = o.deadlineMs - now();
    if (n === o.maxAttempts || waitMs >= remaining) break;
    o.log.warn('Slack did not take the message; retrying', { attempt: n, problem: lastProblem, waitMs: Math.round(waitMs) });
    await sleep(waitMs);
  }
  throw new SlackTransientError(`Slack did not take the message after ${attempts} attempt(s) (${lastProblem}); the message will be retried`, attempts, lastStatus);
}
