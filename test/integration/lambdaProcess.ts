/**
 * Runs a packaged handler the way the Lambda runtime does: a fresh `node` process loads the
 * module (the cold start), then calls the export once with the event and a context. Asynchronous,
 * so that servers in the test's own process (a webhook, moto's seeding) can answer meanwhile.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadTemplateFrom, zipEntryContent, type Resource } from '../template/packaging';
import { MOTO_REGION } from './motoServer';

export interface PackagedInvocation {
  /** What the handler returned, or null when it threw or failed to load. */
  result: Record<string, unknown> | null;
  /** "init: ..." when the module failed to load; "Name: message" when the handler threw. */
  error: string | null;
  stdout: string;
  stderr: string;
}

export interface PackagedHandler {
  moduleFile: string;
  exportName?: string;
  functionName: string;
}

/** The environment Lambda gives a function, pointed at moto_server with fake credentials. */
export function lambdaEnvironment(endpoint: string, functionName: string, vars: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    // Lambda puts its own SDK v3 (/var/runtime/node_modules) on NODE_PATH; the functions require
    // the few modules they do not bundle from there. The repository's node_modules stands in.
    NODE_PATH: join(__dirname, '..', '..', 'node_modules'),
    // Lambda runs nodejs22.x; this machine's Node 20 would make the SDK print a support warning
    // on stderr, which is not one of the function's log lines.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...vars,
  };
}

export async function invokePackaged(handler: PackagedHandler, event: unknown, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<PackagedInvocation> {
  const dir = mkdtempSync(join(tmpdir(), 'secretwatch-invoke-'));
  const eventFile = join(dir, 'event.json');
  const resultFile = join(dir, 'result.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const script = `
    const fs = require('node:fs');
    const out = ${JSON.stringify(resultFile)};
    let mod;
    try { mod = require(${JSON.stringify(handler.moduleFile)}); } catch (e) { fs.writeFileSync(out, JSON.stringify({ error: 'init: ' + e.message })); process.exit(0); }
    const event = JSON.parse(fs.readFileSync(${JSON.stringify(eventFile)}, 'utf8'));
    const context = {
      functionName: ${JSON.stringify(handler.functionName)}, functionVersion: '$LATEST', memoryLimitInMB: '256', awsRequestId: 'req-1',
      invokedFunctionArn: 'arn:aws:lambda:${MOTO_REGION}:123456789012:function:' + ${JSON.stringify(handler.functionName)},
      getRemainingTimeInMillis: () => ${timeoutMs},
    };
    mod[${JSON.stringify(handler.exportName ?? 'handler')}](event, context).then(
      (result) => fs.writeFileSync(out, JSON.stringify({ result })),
      (e) => fs.writeFileSync(out, JSON.stringify({ error: e.name + ': ' + e.message })),
    );`;
  const child = spawn(process.execPath, ['-e', script], { cwd: dirname(handler.moduleFile), env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`node exited ${code}: ${stderr}`);
  const outcome = JSON.parse(readFileSync(resultFile, 'utf8')) as { result?: Record<string, unknown>; error?: string };
  return { result: outcome.result ?? null, error: outcome.error ?? null, stdout, stderr };
}

/** Powertools' structured log lines (INFO on stdout, WARN and ERROR on stderr); every line must be JSON. */
export function logLines(run: PackagedInvocation): Record<string, unknown>[] {
  return `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * The function whose name ends with `-<name>` in a packaged template, and its handler module taken
 * out of its zip into `dir` (the path the template's Handler names), as Lambda would unpack it.
 */
export function unpackHandler(packageDir: string, name: string, dir: string): { fn: Resource; moduleFile: string } {
  const found = Object.entries(loadTemplateFrom(packageDir).Resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.FunctionName).endsWith(`-${name}`));
  if (!found) throw new Error(`no ${name} function in the packaged template`);
  const [, fn] = found;
  const handler = String(fn.Properties?.Handler);
  const entry = `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
  const moduleFile = join(dir, entry);
  mkdirSync(dirname(moduleFile), { recursive: true });
  writeFileSync(moduleFile, zipEntryContent(join(packageDir, `${name}.zip`), entry));
  return { fn, moduleFile };
}
