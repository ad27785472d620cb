'use strict';
// Event delivery against moto_server: the event handler in one process (a warm container) over
// EVENTS force-deletion events, before (no delivery table: at least once) and after (the ledger:
// exactly once per channel). Throughput, p50/p99 per event, and the ledger's cost per event.
// Almost all of it is moto round-trips: figures compare the two modes, not machines.
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { buildSync } = require('esbuild');
const { round } = require('./measure');
const { freePort, waitReady } = require('./scan');

const ROOT = join(__dirname, '..');
const DATA = join(__dirname, '.data');
const EVENTS = 1000;
/** One finding, three channels: a claim and a record per channel. */
const LEDGER_CALLS_PER_FINDING = 6;

function build() {
  mkdirSync(DATA, { recursive: true });
  const outfile = join(DATA, 'delivery-inprocess.js');
  buildSync({ entryPoints: [join(__dirname, 'delivery-inprocess.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error' });
  return outfile;
}

function run(entry, url, mode, events) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmpdir(), 'secretwatch-bench-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'secretwatch-bench-no-aws-credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const r = spawnSync(process.execPath, [entry, String(events), mode], { cwd: ROOT, env, encoding: 'utf8', timeout: 1_800_000 });
  if (r.status !== 0) throw new Error(`delivery bench (${mode}) exited ${r.status ?? r.signal}:\n${(r.stderr ?? '').trim().split('\n').slice(-8).join('\n')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function deliveryBench({ log = (s) => process.stderr.write(s), events = EVENTS } = {}) {
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).error) return { skipped: 'moto_server is not on the PATH' };
  const entry = build();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  try {
    await waitReady(url, moto, 30_000);
    log(`bench: delivery of ${events.toLocaleString('en-US')} events against moto_server, without the ledger...\n`);
    const before = run(entry, url, 'none', events);
    log('bench: ... and with it\n');
    const after = run(entry, url, 'ledger', events);
    const pick = (r) => ({
      eventsPerSecond: round(r.eventsPerSecond, 1),
      p50Ms: round(r.p50Ms, 1),
      p99Ms: round(r.p99Ms, 1),
      meanMs: round(r.meanMs, 1),
      findings: r.findings,
      channelSends: r.channelSends,
    });
    const verified = before.findings === events && after.findings === events && after.channelSends === 3 * events && before.channelSends === 3 * events;
    return {
      events,
      before: pick(before),
      after: pick(after),
      ledgerCostMsPerEvent: round(after.meanMs - before.meanMs, 1),
      ledgerCallsPerEvent: LEDGER_CALLS_PER_FINDING,
      throughputRatio: round(after.eventsPerSecond / before.eventsPerSecond, 2),
      verified,
      ...(verified ? {} : { error: `findings ${before.findings}/${after.findings}, channel sends ${before.channelSends}/${after.channelSends}, expected ${events} and ${3 * events}` }),
    };
  } finally {
    moto.kill('SIGTERM');
  }
}

module.exports = { deliveryBench, EVENTS };

if (require.main === module) {
  const events = Number(process.argv[2] ?? EVENTS);
  deliveryBench({ events }).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
