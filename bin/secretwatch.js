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

if (stale()) {
  try {
    require(join(root, 'scripts', 'build-cli.js')).buildCli();
  } catch (error) {
    process.stderr.write(`secretwatch: could not build the CLI (run npm ci first): ${error.message}\n`);
    process.exit(70);
  }
}
require(bundle);
