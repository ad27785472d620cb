'use strict';
// Function packages: `serverless package` (in a temporary copy of the service, into a temporary directory), then for each function's
// zip its size and the cold-start cost of loading its handler module the way Lambda does (a fresh
// node process that requires the handler file, with the function's environment), next to a bare
// `node -e 0`. Never deploys, never needs AWS credentials: the children get fake keys and an
// endpoint on a closed local port, and the packaging gets no credentials at all.
const { spawnSync } = require('node:child_process');
const { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const { extractZip } = require('../serverless/zip.js');
const { processMs, median, round } = require('./measure');

const ROOT = join(__dirname, '..');
const RUNS = 15;
const WARMUP = 2;
const TARGET_ZIP_BYTES = 150_000;
const TARGET_LOAD_OVER_BARE_MS = 50;
const STAGE = 'bench';
const REGION = 'us-east-1';
// Optional functions are measured too: the Slack notifier exists only when its secret is named.
const PACKAGE_PARAMS = ['--param', `slackWebhookSecretArn=arn:aws:secretsmanager:${REGION}:111122223333:secret:bench/slack-webhook-AbCdEf`];

/** An environment with no AWS credentials or profile in it: packaging must work offline. */
function packagingEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^AWS_/.test(k) || /^npm_/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/**
 * A copy of the service (the working tree's files that git would see, node_modules linked) to
 * package in: `serverless package` always empties the service's own `.serverless/`, even with
 * --package, and serverless-esbuild works in `.esbuild/`; both belong to whoever else is packaging
 * or running the template tests in the repository at the same time.
 */
function serviceCopy(dest) {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  let files = 0;
  for (const rel of listed.stdout.split('\0').filter(Boolean)) {
    if (rel.startsWith('bench/') || rel.startsWith('.git/')) continue;
    const from = join(ROOT, rel);
    let st;
    try {
      st = lstatSync(from);
    } catch {
      continue; // deleted in the working tree
    }
    if (!st.isFile()) continue;
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    copyFileSync(from, join(dest, rel));
    files++;
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
  return files;
}

function packageFunctions(work, outDir) {
  const bin = join(ROOT, 'node_modules', '.bin', 'serverless');
  if (!existsSync(bin)) return { error: 'node_modules/.bin/serverless not found (npm ci?)' };
  const service = join(work, 'service');
  serviceCopy(service);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ['package', '--stage', STAGE, '--region', REGION, '--package', outDir, ...PACKAGE_PARAMS], {
    cwd: service,
    env: packagingEnv(),
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim();
  if (r.error || r.status !== 0) {
    return { seconds, error: `serverless package failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}): ${output.split('\n').slice(-12).join('\n')}` };
  }
  return { seconds };
}

/** Unpacks a function zip with the repository's zip reader (no unzip binary needed). */
function unzip(zip, dest) {
  mkdirSync(dest, { recursive: true });
  extractZip(zip, dest);
  return 'node';
}

/** Lambda functions in the packaged template: name, handler, zip, environment, memory. */
function functionsInTemplate(dir) {
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
  const out = [];
  for (const [logicalId, res] of Object.entries(template.Resources ?? {})) {
    if (res.Type !== 'AWS::Lambda::Function') continue;
    const p = res.Properties ?? {};
    const key = typeof p.Code?.S3Key === 'string' ? p.Code.S3Key : '';
    const zipName = basename(key);
    const name = zipName ? zipName.replace(/\.zip$/, '') : logicalId.replace(/LambdaFunction$/, '').replace(/^./, (c) => c.toLowerCase());
    out.push({ name, logicalId, handler: p.Handler, zip: join(dir, zipName || `${name}.zip`), variables: p.Environment?.Variables ?? {}, memorySize: p.MemorySize ?? 1024, runtime: p.Runtime });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** What Lambda would set, with fake credentials and endpoint so that nothing can leave the machine. */
function lambdaEnv(fn, taskRoot) {
  // NODE_PATH: Lambda's own SDK v3 (/var/runtime/node_modules), which the repository's stands in for.
  const env = { PATH: process.env.PATH, LANG: 'en_US.UTF-8', TZ: ':UTC', NODE_PATH: join(ROOT, 'node_modules') };
  const unresolved = [];
  for (const [k, v] of Object.entries(fn.variables)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') env[k] = String(v);
    else {
      // !Ref / !GetAtt / Fn::Join: resolved by CloudFormation at deploy time; a placeholder of the right kind.
      unresolved.push(k);
      env[k] = /ARN$/.test(k) ? `arn:aws:sns:${REGION}:111122223333:${k.toLowerCase()}` : `bench-${k.toLowerCase().replace(/_/g, '-')}`;
    }
  }
  Object.assign(env, {
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:x',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: `secretwatch-${STAGE}-${fn.name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? 'nodejs22.x'}`,
    LAMBDA_TASK_ROOT: taskRoot,
    // Fake keys and an unreachable endpoint: loading a handler must not call AWS, and cannot.
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'bench',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return { env, unresolved };
}

/** The handler's module file: handlers/deletionMonitor.handler -> handlers/deletionMonitor.js (or .mjs/.cjs). */
function handlerModule(taskRoot, handler) {
  const modulePath = handler.slice(0, handler.lastIndexOf('.'));
  for (const ext of ['.js', '.cjs', '.mjs']) {
    if (existsSync(join(taskRoot, modulePath + ext))) return { file: join(taskRoot, modulePath + ext), exportName: handler.slice(handler.lastIndexOf('.') + 1) };
  }
  return null;
}

/** Unzips a function and checks that its handler loads; returns what the timing loop needs. */
function prepareFunction(fn, work) {
  const out = { zipBytes: null, loadMs: null, requireMs: null, handler: fn.handler };
  if (!existsSync(fn.zip)) return { out: { ...out, error: `zip not found: ${basename(fn.zip)}` } };
  out.zipBytes = statSync(fn.zip).size;
  const taskRoot = join(work, fn.name);
  unzip(fn.zip, taskRoot);
  out.unzippedBytes = dirBytes(taskRoot);
  const mod = handlerModule(taskRoot, fn.handler ?? '');
  if (!mod) return { out: { ...out, error: `handler module for ${fn.handler} not found in the zip` } };
  const { env, unresolved } = lambdaEnv(fn, taskRoot);
  if (unresolved.length) out.placeholderEnv = unresolved;
  const file = JSON.stringify(mod.file);
  const check = spawnSync(
    process.execPath,
    ['-e', `const m=require(${file});if(typeof m[${JSON.stringify(mod.exportName)}]!=='function'){console.error('export ${mod.exportName} is not a function');process.exit(3)}`],
    { cwd: taskRoot, env, encoding: 'utf8' },
  );
  if (check.status !== 0) return { out: { ...out, error: `loading ${fn.handler} failed: ${(check.stderr || '').trim().split('\n').slice(0, 6).join(' | ')}` } };
  return {
    out,
    // The whole process, as a cold start pays it; and require() alone, timed inside the process.
    load: ['-e', `require(${file})`],
    inner: ['-e', `const t=process.hrtime.bigint();require(${file});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`],
    env,
    cwd: taskRoot,
    loadRuns: [],
    requireRuns: [],
  };
}

function dirBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

const BARE_ENV = { PATH: process.env.PATH, LANG: 'en_US.UTF-8', TZ: ':UTC' };

async function functionsBench({ log = (s) => process.stderr.write(s) } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'secretwatch-bench-fn-'));
  const pkgDir = join(work, 'package');
  const result = { functions: {}, bareNodeMs: null, functionsError: null, package: {} };
  try {
    log('bench: serverless package --stage bench (in a temporary copy of the service)...\n');
    const pkg = packageFunctions(work, pkgDir);
    result.package = { seconds: round(pkg.seconds ?? 0, 1), source: 'serverless package (fresh)' };
    let dir = pkgDir;
    if (pkg.error) {
      result.functionsError = pkg.error;
      log(`bench: ${pkg.error}\n`);
      const stale = join(ROOT, '.serverless');
      if (!existsSync(join(stale, 'cloudformation-template-update-stack.json'))) return result;
      log('bench: measuring the zips already in .serverless/ instead (not rebuilt by this run)\n');
      dir = stale;
      result.package.source = '.serverless/ (left by an earlier package; packaging failed in this run)';
    }
    const fns = functionsInTemplate(dir);
    if (!fns.length) {
      result.functionsError = result.functionsError ?? 'no AWS::Lambda::Function in the packaged template';
      return result;
    }
    const prepared = fns.map((fn) => {
      try {
        return [fn, prepareFunction(fn, join(work, 'functions'))];
      } catch (error) {
        return [fn, { out: { zipBytes: null, loadMs: null, error: error.message } }];
      }
    });
    // Bare node and every handler, interleaved run by run so that they share the machine's noise.
    log(`bench: timing node -e 0 and ${fns.length} handler load(s), ${RUNS} runs each...\n`);
    const bare = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const b = processMs(process.execPath, ['-e', '0'], { env: BARE_ENV, cwd: tmpdir() });
      if (i >= WARMUP) bare.push(b.ms);
      for (const [fn, p] of prepared) {
        if (!p.load || p.out.error) continue;
        const r = processMs(process.execPath, p.load, { env: p.env, cwd: p.cwd });
        const inner = spawnSync(process.execPath, p.inner, { env: p.env, cwd: p.cwd, encoding: 'utf8' });
        if (r.status !== 0 || inner.status !== 0) {
          p.out.error = `loading ${fn.handler} failed on run ${i + 1}: ${(r.stderr || inner.stderr || '').trim().split('\n')[0]}`;
          continue;
        }
        if (i >= WARMUP) {
          p.loadRuns.push(r.ms);
          p.requireRuns.push(Number(inner.stdout));
        }
      }
    }
    result.bareNodeMs = round(median(bare), 1);
    result.bareNodeRunsMs = bare.map((x) => round(x, 1));
    for (const [fn, p] of prepared) {
      const m = p.out;
      if (!m.error && p.loadRuns?.length) {
        m.loadMs = round(median(p.loadRuns), 1);
        m.requireMs = round(median(p.requireRuns), 1);
        m.loadOverBareMs = round(m.loadMs - result.bareNodeMs, 1);
        m.loadRunsMs = p.loadRuns.map((x) => round(x, 1));
      }
      m.targets = {
        zipBytes: { target: `<= ${TARGET_ZIP_BYTES} bytes`, pass: m.zipBytes != null && m.zipBytes <= TARGET_ZIP_BYTES },
        loadOverBareMs: { target: `<= ${TARGET_LOAD_OVER_BARE_MS} ms`, pass: m.loadOverBareMs != null && m.loadOverBareMs <= TARGET_LOAD_OVER_BARE_MS },
      };
      result.functions[fn.name] = m;
    }
    return result;
  } catch (error) {
    result.functionsError = result.functionsError ?? error.message;
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { functionsBench, TARGET_ZIP_BYTES, TARGET_LOAD_OVER_BARE_MS, RUNS };
