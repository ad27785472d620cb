'use strict';
// The inventory scan: 10,000 and 50,000 secrets against an in-process fake of ListSecrets and
// ListSecretVersionIds (CPU time and API calls, no network), and the same 10,000 against
// moto_server through `secretwatch scan --endpoint` (wall time and calls). The call counts are
// verified first: exactly ceil(N/100) ListSecrets plus one ListSecretVersionIds per secret that
// looks overdue, nothing else. Timings of a scan that made other calls would be meaningless.
const { spawn, spawnSync } = require('node:child_process');
const { accessSync, constants, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const { tmpdir } = require('node:os');
const { delimiter, join } = require('node:path');
const { buildSync } = require('esbuild');
const { runNode, round } = require('./measure');
const { seedSpec } = require('./scan-inventory');

const ROOT = join(__dirname, '..');
const DATA = join(__dirname, '.data');
const CLI = join(ROOT, 'bin', 'secretwatch.js');
const SIZES = [10_000, 50_000];
const MOTO_SIZE = 10_000;
/** Timed runs per size, after one warm-up run in the same process. */
const RUNS = 3;
const TARGET_CPU_MS_50K = 2000;
const SUMMARY = /secretwatch scan: (\d+) finding\(s\) on (\d+) secret\(s\) .*; (\d+) ListSecrets and (\d+) ListSecretVersionIds call\(s\)/;
/** Fake credentials and no profile: nothing here can reach AWS. */
const OFFLINE_ENV = {
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: join(tmpdir(), 'secretwatch-bench-no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'secretwatch-bench-no-aws-credentials'),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
};

function offlineEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, ...OFFLINE_ENV, ...extra };
}

/** bench/scan-inprocess.ts bundled (its imports of src/ and the test fake included). */
function buildInProcess() {
  mkdirSync(DATA, { recursive: true });
  const outfile = join(DATA, 'scan-inprocess.js');
  buildSync({ entryPoints: [join(__dirname, 'scan-inprocess.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error' });
  return outfile;
}

function inProcess(entry, n) {
  const r = spawnSync(process.execPath, [entry, String(n), String(RUNS)], {
    cwd: ROOT,
    env: offlineEnv({}),
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`in-process scan of ${n} secrets exited ${r.status ?? r.signal}:\n${(r.stderr ?? '').trim().split('\n').slice(-8).join('\n')}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const expected = { ListSecrets: Math.ceil(n / 100), ListSecretVersionIds: out.expectedLookups };
  const verified = out.calls.ListSecrets === expected.ListSecrets && out.calls.ListSecretVersionIds === expected.ListSecretVersionIds;
  return {
    secrets: n,
    cpuMs: round(out.cpuMs, 0),
    cpuMsRuns: out.cpuMsRuns,
    listSecretsCalls: out.calls.ListSecrets,
    versionCalls: out.calls.ListSecretVersionIds,
    expectedCalls: expected,
    overdueLooking: out.expectedLookups,
    findings: out.findings,
    peakRssMB: round(out.peakRssMB, 0),
    verified,
    ...(verified ? {} : { error: `calls ${JSON.stringify(out.calls)}, expected ${JSON.stringify(expected)}` }),
  };
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}

function pythonWithMoto() {
  for (const python of ['python3', 'python']) {
    if (spawnSync(python, ['-c', 'import moto.server, moto.secretsmanager.models'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer within ${timeoutMs} ms`);
}

/** The real CLI against moto_server seeded with the same inventory (test/integration/seededMoto.py). */
async function againstMoto(log) {
  if (!onPath('moto_server')) return { skipped: 'moto_server is not on the PATH' };
  const python = pythonWithMoto();
  if (!python) return { skipped: 'no Python with moto' };
  const now = Math.floor(Date.now() / 1000);
  const { spec, lookups } = seedSpec(MOTO_SIZE, now);
  const specFile = join(DATA, 'scan-moto-inventory.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const child = spawn(python, [join(ROOT, 'test', 'integration', 'seededMoto.py'), '--seed', specFile, '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  try {
    await waitReady(url, child, 60_000);
    log(`bench: moto_server seeded with ${MOTO_SIZE.toLocaleString('en-US')} secrets in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const out = join(DATA, 'scan-moto-findings.json');
    // Default rate limits: the look-ups pace themselves as they would against AWS.
    const r = runNode([CLI, 'scan', '--endpoint', url, '--format', 'json', '--no-progress'], { stdoutPath: out, cwd: ROOT, env: offlineEnv() });
    rmSync(out, { force: true });
    const m = SUMMARY.exec(r.stderr);
    if (r.status !== 0 || !m) return { error: `secretwatch scan exited ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
    const calls = { ListSecrets: Number(m[3]), ListSecretVersionIds: Number(m[4]) };
    const expected = { ListSecrets: Math.ceil(MOTO_SIZE / 100), ListSecretVersionIds: lookups };
    const verified = calls.ListSecrets === expected.ListSecrets && calls.ListSecretVersionIds === expected.ListSecretVersionIds && Number(m[2]) === MOTO_SIZE;
    return {
      secrets: Number(m[2]),
      seconds: round(r.seconds, 2),
      calls,
      expectedCalls: expected,
      findings: Number(m[1]),
      peakRssMB: r.rssKB ? round(r.rssKB / 1024, 0) : null,
      verified,
      ...(verified ? {} : { error: `calls ${JSON.stringify(calls)} on ${m[2]} secrets, expected ${JSON.stringify(expected)} on ${MOTO_SIZE}` }),
    };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function scanBench({ log = (s) => process.stderr.write(s), moto = true } = {}) {
  const entry = buildInProcess();
  const report = {};
  for (const n of SIZES) {
    log(`bench: scan of ${n.toLocaleString('en-US')} secrets in-process (${RUNS} timed runs)...\n`);
    report[`n${n / 1000}k`] = inProcess(entry, n);
  }
  if (moto) {
    log(`bench: scan of ${MOTO_SIZE.toLocaleString('en-US')} secrets against moto_server...\n`);
    report.moto10k = await againstMoto(log);
  }
  const n50 = report.n50k;
  report.targets = {
    cpuMs50k: { value: n50.cpuMs, target: TARGET_CPU_MS_50K, pass: n50.cpuMs < TARGET_CPU_MS_50K },
    calls: { pass: SIZES.every((n) => report[`n${n / 1000}k`].verified) && (!report.moto10k?.secrets || report.moto10k.verified) },
  };
  report.verified = SIZES.every((n) => report[`n${n / 1000}k`].verified) && !report.moto10k?.error;
  return report;
}

module.exports = { scanBench, TARGET_CPU_MS_50K, RUNS, SIZES, freePort, waitReady };
