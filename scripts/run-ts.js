// Runs a TypeScript script of this repository (docs generators, one-off tools) without a build
// step: esbuild bundles it to a temporary file, then node runs that. The file is written under
// node_modules/.cache so that the packages left external (zod, the SDK) resolve from there.
const { buildSync } = require('esbuild');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const { join, resolve } = require('node:path');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run-ts.js SCRIPT.ts [ARGS...]\n');
  process.exit(2);
}
const cache = join(__dirname, '..', 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'secretwatch-run-'));
const outfile = join(dir, 'script.js');
buildSync({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'error',
  nodePaths: [join(__dirname, '..', 'node_modules')],
});
process.argv = [process.argv[0], resolve(entry), ...args];
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
require(outfile);
