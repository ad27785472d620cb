#!/usr/bin/env node
'use strict';
// Runs the bundled CLI, rebuilding it first when the sources changed since the last build, so a
// clone works after `npm ci` and after an edit with no build step to remember.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!existsSync(bundle) || !existsSync(join(root, 'dist', 'replay-worker.js'))) return true;
  if (!existsSync(join(root, 'src'))) return false;
  const built = statSync(bundle).mtimeMs;
  return newestSource(join(root, 'src')) > built || newestSource(join(root, 'rules')) > built;
}

/**
 * A replay on several cores: its worker threads are started now, before the CLI is loaded, so
 * that they boot meanwhile; the replay sends them their settings (src/cli/replay/earlyWorkers.ts).
 * Read from the raw arguments, so this is a guess: a worker the replay does not take ends with
 * the process.
 */
function startReplayWorkersEarly(args) {
  if (args[0] !== 'replay' || args.includes('--help') || args.includes('-h')) return [];
  const at = args.findIndex((a) => a === '--jobs' || a.startsWith('--jobs='));
  const jobs = at === -1 ? require('node:os').availableParallelism() : Number(args[at].startsWith('--jobs=') ? args[at].slice(7) : args[at + 1]);
  if (!Number.isInteger(jobs) || jobs < 2 || jobs > 256) return [];
  const { Worker } = require('node:worker_threads');
  return Array.from({ length: jobs - 1 }, () => {
    // Unreferenced until the replay takes it: one it does not take holds nothing open.
    const worker = new Worker(workerScript, { workerData: null });
    worker.unref();
    return worker;
  });
}

const workerScript = join(root, 'dist', 'replay-worker.js');
const early = existsSync(workerScript) ? startReplayWorkersEarly(process.argv.slice(2)) : [];

if (stale()) {
  // The early workers run the old build.
  for (const worker of early.splice(0)) void worker.terminate();
  try {
    require(join(root, 'scripts', 'build-cli.js')).buildCli();
  } catch (error) {
    process.stderr.write(`secretwatch: could not build the CLI (run npm ci first): ${error.message}\n`);
    process.exit(70);
  }
}
globalThis[Symbol.for('secretwatch.earlyReplayWorkers')] = { script: workerScript, workers: early };
require(bundle);
