#!/usr/bin/env node
'use strict';
// CPU profile of the replay over the bench archive: runs the CLI under `node --cpu-prof`, then
// prints the functions with the most self time (and the threads' idle/GC/program shares).
// The .cpuprofile is kept in bench/results/ (open it in Chrome DevTools > Performance, or VS Code).
//
//   node bench/profile.js [--top 25] [PATH...]     (default PATH: the generated archive)
const { spawnSync } = require('node:child_process');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } = require('node:fs');
const { join, relative } = require('node:path');
const { ensureArchive } = require('./generate');

const ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');

/** Self time per function (name + location), from a V8 .cpuprofile. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const byFunction = new Map();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id);
    const where = f.url ? `${relative(ROOT, f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'}\t${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  return { totalMs: total / 1000, rows: [...byFunction].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ fn: key.split('\t')[0], where: key.split('\t')[1], ms: us / 1000 })) };
}

async function main(argv) {
  const topIdx = argv.indexOf('--top');
  const top = topIdx >= 0 ? Number(argv[topIdx + 1]) : 25;
  let paths = argv.filter((a, i) => !a.startsWith('--') && (topIdx < 0 || i !== topIdx + 1));
  if (!paths.length) paths = [(await ensureArchive()).archive];
  mkdirSync(RESULTS, { recursive: true });
  const dir = join(RESULTS, `cpuprof-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, join(ROOT, 'bin', 'secretwatch.js'), 'replay', ...paths, '--format', 'json', '--no-progress'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`replay exited ${r.status}`);
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const kept = join(RESULTS, 'replay.cpuprofile');
  renameSync(join(dir, file), kept);
  rmSync(dir, { recursive: true, force: true });
  const { totalMs, rows } = summarize(JSON.parse(readFileSync(kept, 'utf8')));
  process.stdout.write(`${r.stderr.trim()}\nwall ${wall.toFixed(2)} s; main thread profiled ${(totalMs / 1000).toFixed(2)} s; profile: ${relative(ROOT, kept)}\n\n`);
  process.stdout.write(`${'self ms'.padStart(9)} ${'%'.padStart(5)}  function  (location)\n`);
  for (const row of rows.slice(0, top)) {
    process.stdout.write(`${row.ms.toFixed(1).padStart(9)} ${((100 * row.ms) / totalMs).toFixed(1).padStart(5)}  ${row.fn}  ${row.where ? `(${row.where})` : ''}\n`);
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`bench/profile: ${error.message}\n`);
  process.exitCode = 1;
});
