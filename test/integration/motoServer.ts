/**
 * moto_server for the integration tests: started on 127.0.0.1 on a free port, one per test file,
 * stopped (its whole process group) afterwards. While it runs, the AWS environment points every
 * SDK client at it with fake credentials, and a network guard refuses any HTTP(S) request to a
 * host other than the local one, so nothing can fall through to a real AWS endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

export const MOTO_REGION = 'us-east-1';
/** The account moto puts every resource in. */
export const MOTO_ACCOUNT = '123456789012';
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** moto_server on PATH, or null. */
export function findMotoServer(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'moto_server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** Written straight to stderr: jest swallows console output of a file whose tests are all skipped. */
export function notice(message: string): void {
  process.stderr.write(`\n  ${message}\n\n`);
}

function isCi(): boolean {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** How to start the server: moto_server itself, or a launcher that takes the same -H/-p arguments. */
export interface MotoLaunch {
  command: string;
  args: string[];
}

/**
 * `describe` with a moto_server for the block. Without moto_server the block is skipped with a
 * visible message, except in CI, where the suite fails: CI must run the integration tests.
 */
export function describeWithMoto(name: string, body: (moto: Moto) => void, launch?: (motoServer: string) => MotoLaunch): void {
  const bin = findMotoServer();
  if (!bin) {
    const message = 'moto_server is not on PATH (pip install "moto[server]==5.2.*")';
    if (isCi()) throw new Error(`CI requires moto: ${message}; the integration tests cannot be skipped in CI`);
    notice(`SKIPPED integration suite "${name}": ${message}`);
    describe.skip(`${name} [skipped: ${message}]`, () => body(new Moto('')));
    return;
  }
  describe(name, () => {
    const how = launch?.(bin);
    const moto = how ? new Moto(how.command, how.args) : new Moto(bin);
    beforeAll(() => moto.start(), READY_TIMEOUT_MS + 5_000);
    afterAll(() => moto.stop(), STOP_TIMEOUT_MS + 2_000);
    body(moto);
  });
}

/** The environment the SDK reads. Per-service endpoint variables and config files could override ours, so they go. */
function motoEnvironment(endpoint: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_DEFAULT_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Lambda runs Node 22; the SDK's once-per-load warning about local Node 20 is noise in test output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(__dirname, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(__dirname, 'no-aws-credentials'),
    AWS_PROFILE: undefined,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_ROLE_ARN: undefined,
  };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_ENDPOINT_URL_')) env[key] = undefined;
  return env;
}

/** Sets (or, for undefined, deletes) environment variables; returns a function that restores them. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.keys(vars).map((key) => [key, process.env[key]] as const);
  const apply = (entries: readonly (readonly [string, string | undefined])[]) => {
    for (const [key, value] of entries) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(Object.entries(vars));
  return () => apply(saved);
}

function hostOf(args: unknown[]): string {
  const [first] = args;
  if (typeof first === 'string' || first instanceof URL) return new URL(first).hostname;
  const options = (first ?? {}) as { hostname?: string | null; host?: string | null };
  return options.hostname ?? options.host ?? 'localhost';
}

/** Refuses every https request and every http request to a non-local host, before it connects. */
export function guardNetwork(): () => void {
  const patches = [
    [http, 'request', http.request, false],
    [http, 'get', http.get, false],
    [https, 'request', https.request, true],
    [https, 'get', https.get, true],
  ] as const;
  for (const [module, key, original, secure] of patches) {
    const guarded = function (this: unknown, ...args: unknown[]) {
      const host = hostOf(args);
      if (secure || !LOCAL_HOSTS.has(host)) {
        throw new Error(`integration tests must not leave 127.0.0.1: refused a request to ${secure ? 'https' : 'http'}://${host}`);
      }
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    (module as unknown as Record<string, unknown>)[key] = guarded;
  }
  return () => {
    for (const [module, key, original] of patches) (module as unknown as Record<string, unknown>)[key] = original;
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

class MotoExitedError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Moto {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private output: string[] = [];
  private restoreEnv: (() => void) | null = null;
  private restoreNetwork: (() => void) | null = null;
  private killOnExit = () => this.killGroup('SIGKILL');
  private url = '';

  constructor(
    private readonly bin: string,
    private readonly args: readonly string[] = [],
  ) {}

  /** http://127.0.0.1:<port> */
  get endpoint(): string {
    if (!this.url) throw new Error('moto_server is not running');
    return this.url;
  }

  /** Explicit client settings for the tests' own clients (the code under test uses the environment). */
  clientConfig() {
    return {
      endpoint: this.endpoint,
      region: MOTO_REGION,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'testing' },
      maxAttempts: 1,
    };
  }

  async start(): Promise<void> {
    this.restoreNetwork = guardNetwork();
    let lastError: unknown;
    // The port is free when probed; another process could take it before moto binds it: moto then
    // exits at once, and another port is tried. A moto that never answers is not retried.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.launch(await freePort());
        this.restoreEnv = setEnv(motoEnvironment(this.url));
        return;
      } catch (error) {
        lastError = error;
        await this.stopProcess();
        if (!(error instanceof MotoExitedError)) break;
      }
    }
    throw lastError;
  }

  private async launch(port: number): Promise<void> {
    this.output = [];
    const child = spawn(this.bin, [...this.args, '-H', '127.0.0.1', '-p', String(port)], {
      detached: true, // its own process group, so that stop() ends the shim and python together
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    this.child = child;
    process.once('exit', this.killOnExit);
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exitCode = code ?? (signal ? -1 : null);
        resolve();
      });
      child.once('error', (error) => {
        this.output.push(String(error));
        exitCode = -1;
        resolve();
      });
    });
    // Drain both pipes (moto logs every request); keep the tail for error messages.
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.output.length > 40) this.output.splice(0, this.output.length - 40);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new MotoExitedError(`moto_server exited (${exitCode}) before answering:\n${this.output.join('\n')}`);
      try {
        const res = await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
        if (res.ok) {
          this.url = url;
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`moto_server did not answer on ${url} within ${READY_TIMEOUT_MS} ms:\n${this.output.join('\n')}`);
  }

  /** Forgets every resource in every service: each test starts from an empty account. */
  async reset(): Promise<void> {
    const res = await fetch(`${this.endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
  }

  /** Before code that builds its own clients from the environment is loaded: it must point here. */
  assertEnvironment(): void {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    if (!this.url || endpoint !== this.url) {
      throw new Error(`AWS_ENDPOINT_URL is ${JSON.stringify(endpoint)}, not the moto_server at ${this.url || '(not started)'}: refusing to load code that would call AWS`);
    }
    const overrides = Object.keys(process.env).filter((k) => k.startsWith('AWS_ENDPOINT_URL_') || k === 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
    if (overrides.length) throw new Error(`environment overrides the moto endpoint: ${overrides.join(', ')}`);
    if (process.env.AWS_ACCESS_KEY_ID !== 'testing') throw new Error('AWS_ACCESS_KEY_ID is not the fake "testing" key');
  }

  async stop(): Promise<void> {
    try {
      await this.stopProcess();
    } finally {
      this.restoreEnv?.();
      this.restoreEnv = null;
      this.restoreNetwork?.();
      this.restoreNetwork = null;
      this.url = '';
    }
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null || this.child?.signalCode !== null) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  private async stopProcess(): Promise<void> {
    if (!this.child) return;
    this.killGroup('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!stopped) {
      this.killGroup('SIGKILL');
      await this.exited;
    }
    process.removeListener('exit', this.killOnExit);
    this.child = null;
  }
}

/**
 * Receives from a queue until `expect` messages arrived or the deadline passed, then once more
 * after `settleSeconds` to catch extras (a negative assertion passes settleSeconds > 0).
 */
export async function receiveMessages(
  sqs: SQSClient,
  queueUrl: string,
  { expect, timeoutMs = 10_000, settleSeconds = 0 }: { expect: number; timeoutMs?: number; settleSeconds?: number },
): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  const receive = async (waitSeconds: number) => {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds, MessageAttributeNames: ['All'] }));
    messages.push(...(out.Messages ?? []));
    return out.Messages?.length ?? 0;
  };
  while (messages.length < expect && Date.now() < deadline) {
    await receive(Math.max(0, Math.min(1, Math.floor((deadline - Date.now()) / 1000))));
  }
  // Received messages stay invisible for the visibility timeout, so this sees only new ones.
  while ((await receive(settleSeconds)) > 0);
  return messages;
}
