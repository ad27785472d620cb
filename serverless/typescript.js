'use strict';

// Loads a TypeScript module of src/ into the Framework's process (variable resolvers and the
// observability plugin), compiled in memory by esbuild: the template is built by the same code
// that the functions run and the tests check, never by a copy of it.

const path = require('node:path');
const Module = require('node:module');

const ROOT = path.join(__dirname, '..');
const loaded = new Map();

/**
 * relativePath: from the repository root, e.g. 'src/dashboard/index.ts'.
 * bundleDependencies: bundle node_modules too (settings.js does, for a self-contained zod); by
 * default they stay external and are required from the repository's node_modules.
 */
function loadTypeScript(relativePath, { bundleDependencies = false } = {}) {
  const entry = path.join(ROOT, relativePath);
  const key = `${entry}\0${bundleDependencies}`;
  if (loaded.has(key)) return loaded.get(key);
  const esbuild = require('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    ...(bundleDependencies ? {} : { packages: 'external' }),
  });
  const mod = new Module(entry, module);
  mod.filename = entry;
  mod.paths = Module._nodeModulePaths(path.dirname(entry));
  mod._compile(out.outputFiles[0].text, entry);
  loaded.set(key, mod.exports);
  return mod.exports;
}

module.exports = { loadTypeScript };
