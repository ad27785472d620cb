/**
 * The in-process fake Secrets Manager behind a real HTTP server on 127.0.0.1, for code that builds
 * its own SDK client from an endpoint (`secretwatch scan --endpoint`): the whole path, flags to
 * sockets, without moto.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeSecretsManager } from './fakeSecretsManager';

export interface FakeServer {
  url: string;
  /** The fake that answers; replace it between tests. */
  fake: FakeSecretsManager | null;
  close(): Promise<void>;
}

export async function startFakeServer(): Promise<FakeServer> {
  const state: { fake: FakeSecretsManager | null } = { fake: null };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (!state.fake) {
        res.writeHead(500).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      const { response } = await state.fake.handler.handle({ headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(response.statusCode, response.headers);
      response.body.pipe(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get fake() {
      return state.fake;
    },
    set fake(value) {
      state.fake = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
