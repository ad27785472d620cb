'use strict';
// A TypeScript entry point of src/ bundled in memory with esbuild and loaded as a module: the
// benches time the code as the functions and the CLI run it, without a build step on disk.
const { spawnSync } = require('node:child_process');
const Module = require('node:module');

function loadBundled(entry) {
  const esbuild = require('esbuild');
  const out = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' });
  const mod = new Module(entry, module);
  mod.filename = entry;
  mod._compile(out.outputFiles[0].text, entry);
  return mod.exports;
}

/**
 * Runs a bench script in a node process of its own (nothing the bench did before has warmed or
 * filled its heap) and returns the JSON it prints, or { verified: false, error }.
 */
function runIsolated(file, cwd) {
  const name = `bench/${require('node:path').basename(file)}`;
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return { verified: false, error: `${name} exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-5).join(' | ')}` };
  try {
    return JSON.parse(r.stdout);
  } catch {
    return { verified: false, error: `${name} printed no result: ${r.stdout.slice(0, 200)}` };
  }
}

module.exports = { loadBundled, runIsolated };
