'use strict';
// The organization scan: the fanned-out central scan of 1,000 accounts in 4 regions run in process
// (bench/org-scan-simulation.ts over the test's simulation), verified (every unit queued and
// scanned once, concurrency never above the event source's limit, one digest counting every
// account), then its time modelled from the calls each unit made: AWS calls take time that an
// in-process fake does not, so the wall time of the simulation says nothing about the real one.
const { spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { buildSync } = require('esbuild');
const { round } = require('./measure');

const ROOT = join(__dirname, '..');
const DATA = join(__dirname, '.data');
const ACCOUNTS = 1000;
const REGIONS = 4;
/** The scan workers' event source limit (src/monitors/scanWorker.ts). */
const CONCURRENCY = require('../serverless/typescript').loadTypeScript('src/monitors/scanWorker.ts').scanWorker.queue.maximumConcurrency;

/**
 * The model of one unit's time, in seconds, from its calls: ListSecrets pages are sequential (each
 * needs the last one's token), about 0.3 s each for 100 secrets; look-ups go at the rate limit;
 * AssumeRole about 0.1 s; the unit's result written in one DynamoDB transaction, about 0.05 s.
 */
const MODEL = { assumeRoleS: 0.1, pageS: 0.3, lookupsPerSecond: 40, storeS: 0.05 };

function unitSeconds([assumeRole, listSecrets, lookups]) {
  return assumeRole * MODEL.assumeRoleS + listSecrets * MODEL.pageS + lookups / MODEL.lookupsPerSecond + MODEL.storeS;
}

/** The time `units` (seconds each) take on `workers` at once, each unit to the worker free first (as the event source hands them out). */
function makespan(durations, workers) {
  const free = new Array(workers).fill(0);
  for (const d of durations) {
    let i = 0;
    for (let j = 1; j < workers; j++) if (free[j] < free[i]) i = j;
    free[i] += d;
  }
  return Math.max(...free);
}

/** The same model for an organization the simulation does not hold in memory: `accounts` x `regions` of `secrets` each, `overdueShare` of them looked up. */
function modelledOrganization({ accounts, regions, secrets, overdueShare }) {
  const units = accounts * regions + (regions - 1);
  const perUnit = unitSeconds([1, Math.ceil(secrets / 100), Math.round(secrets * overdueShare)]);
  return { accounts, regions, secretsPerUnit: secrets, units, unitSeconds: round(perUnit, 2), minutes: round(makespan(new Array(units).fill(perUnit), CONCURRENCY) / 60, 1) };
}

function orgScanBench({ log = (s) => process.stderr.write(s) } = {}) {
  mkdirSync(DATA, { recursive: true });
  const entry = join(DATA, 'org-scan-simulation.js');
  buildSync({ entryPoints: [join(__dirname, 'org-scan-simulation.ts')], outfile: entry, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error' });
  log(`bench: simulating the central scan of ${ACCOUNTS} accounts x ${REGIONS} regions, ${CONCURRENCY} workers at once...\n`);
  const r = spawnSync(process.execPath, [entry, String(ACCOUNTS), String(CONCURRENCY)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 600_000,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (r.status !== 0) return { verified: false, error: `simulation exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').slice(-6).join('\n')}` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const units = ACCOUNTS * REGIONS + (REGIONS - 1);
  const errors = [];
  if (out.units !== units) errors.push(`${out.units} units queued, expected ${units}`);
  if (out.maxInFlight > CONCURRENCY) errors.push(`${out.maxInFlight} units at once, above the limit of ${CONCURRENCY}`);
  if (out.triggers !== 1) errors.push(`the assembling step was started ${out.triggers} times`);
  if (out.digestAccounts !== ACCOUNTS + 1) errors.push(`the digest counts ${out.digestAccounts} accounts, expected ${ACCOUNTS + 1}`);
  if (out.assembled?.accounts !== units) errors.push(`the assembled report lists ${out.assembled?.accounts} units, expected ${units}`);
  const durations = out.unitCalls.map(unitSeconds);
  return {
    verified: errors.length === 0,
    ...(errors.length ? { error: errors.join('; ') } : {}),
    accounts: ACCOUNTS,
    regions: REGIONS,
    concurrency: CONCURRENCY,
    units: out.units,
    maxInFlight: out.maxInFlight,
    deliveries: out.deliveries,
    deadLettered: out.deadLettered,
    calls: { AssumeRole: out.assumeRoleCalls, ListSecrets: out.listSecretsCalls, ListSecretVersionIds: out.versionCalls },
    modelledMinutes: round(makespan(durations, CONCURRENCY) / 60, 1),
    model: MODEL,
    simulationSeconds: round(out.wallMs / 1000, 1),
    // The organization sized in docs/organization.md ("Limits"): 500 accounts x 4 regions, 5,000 secrets each, 10% looked up.
    organization500x4: modelledOrganization({ accounts: 500, regions: 4, secrets: 5000, overdueShare: 0.1 }),
  };
}

module.exports = { orgScanBench, modelledOrganization, CONCURRENCY };
