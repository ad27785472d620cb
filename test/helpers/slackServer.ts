import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log } from '../../src/delivery/log';

/** A made-up webhook path: its last part plays the credential that must never be logged. */
export const WEBHOOK_PATH = '/services/T0SECRET/B0SECRET/s3cr3tT0k3nXYZ';
export const WEBHOOK_TOKEN = 's3cr3tT0k3nXYZ';

export type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'drop';

export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

/**
 * A stand-in for Slack's incoming webhook on 127.0.0.1: answers each request with the next scripted
 * reply (the last one repeats) and records what it received. 'hang' never answers; 'drop' closes
 * the connection without a response.
 */
export class FakeSlack {
  readonly requests: ReceivedRequest[] = [];
  private replies: Reply[] = [{ status: 200, body: 'ok' }];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      const reply = this.replies.length > 1 ? (this.replies.shift() as Reply) : this.replies[0];
      if (reply === 'hang') return;
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });

  /** Replies in order; the last repeats for any further request. */
  reply(...replies: Reply[]): this {
    this.replies = replies;
    return this;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get url(): URL {
    const { port } = this.server.address() as AddressInfo;
    return new URL(`http://127.0.0.1:${port}${WEBHOOK_PATH}`);
  }

  payloads(): unknown[] {
    return this.requests.map((r) => JSON.parse(r.body) as unknown);
  }
}

/** A Log that keeps every line, to assert on what was (and was not) logged. */
export function recordingLog(): Log & { lines: { level: string; message: string; extra: Record<string, unknown> }[]; text(): string } {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      lines.push({ level, message, extra: Object.assign({}, ...extra) as Record<string, unknown> });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), text: () => JSON.stringify(lines) };
}

/**
 * One FakeSlack for a test file: started before its tests and stopped after them; each test starts
 * with no request recorded and Slack answering 200 "ok".
 */
export function useFakeSlack(): FakeSlack {
  const slack = new FakeSlack();
  beforeAll(() => slack.start());
  afterAll(() => slack.stop());
  beforeEach(() => {
    slack.requests.length = 0;
    slack.reply({ status: 200, body: 'ok' });
  });
  return slack;
}
