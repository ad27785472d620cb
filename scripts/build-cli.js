// Bundles the CLI into dist/cli.js (dependencies stay in node_modules). Run by `npm ci` through
// `prepare`, and by bin/secretwatch.js whenever a source file is newer than the bundle.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const root = join(__dirname, '..');

function buildCli() {
  buildSync({
    entryPoints: [join(root, 'src/cli/bin.ts')],
    outfile: join(root, 'dist/cli.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
    legalComments: 'none',
  });
}

module.exports = { buildCli };
if (require.main === module) buildCli();
