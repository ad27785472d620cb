// Bundles the CLI into dist/cli.js and its replay worker thread into dist/replay-worker.js
// (dependencies stay in node_modules). Run by `npm ci` through `prepare`, and by
// bin/secretwatch.js whenever a source file is newer than the bundle.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** Every package stays in node_modules but those `bundled`: named with its subpaths, and the SDK's scopes whole. */
function externalPackagesBut(bundled) {
  const { dependencies = {}, devDependencies = {} } = require(join(root, 'package.json'));
  const names = Object.keys({ ...dependencies, ...devDependencies }).filter((name) => !bundled.includes(name));
  return ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*', ...names.flatMap((name) => [name, `${name}/*`])];
}

function buildCli() {
  buildSync({
    entryPoints: { cli: join(root, 'src/cli/bin.ts'), 'replay-worker': join(root, 'src/cli/replay/worker.ts') },
    outdir: join(root, 'dist'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // zod is bundled, tree-shaken as in the Lambda bundles: its package entry would load every
    // locale, and its English locale (an ES module) a second, ES module copy of its core.
    external: externalPackagesBut(['zod']),
    // A dynamic import() of a package would load its ES module build, a second copy beside the
    // CommonJS one the rest of the bundle requires (an SDK paginator then refuses the other copy's
    // client): as require(), every import of a package is the same module.
    supported: { 'dynamic-import': false },
    logLevel: 'error',
    legalComments: 'none',
  });
}

module.exports = { buildCli };
if (require.main === module) buildCli();
