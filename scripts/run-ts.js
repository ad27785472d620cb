// Runs a TypeScript script of this repository (docs generators, one-off tools) without a build
// step: esbuild bundles it to a temporary file, then node runs that.
const { buildSync } = require('esbuild');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.js SCRIPT.ts [ARGS...]\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'secretwatch-run-'));
const outfile = join(dir, 'script.js');
buildSync({ entryPoints: [resolve(entry)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error', nodePaths: [join(__dirname, '..', 'node_modules')] });
process.argv = [process.argv[0], resolve(entry), ...args];
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
require(outfile);
