'use strict';

// esbuild plugins for serverless-esbuild (custom.esbuild.plugins in serverless.yml). They keep
// the function zip small and its cold load fast; docs/deploy.md ("Packaging") has the numbers.

// runtimeCredentialSources: the SDK's default credential chain reads the environment first and
// only imports these sources lazily (`await import(...)`) when no credentials are there. Lambda
// always sets the execution role's credentials in the environment, so they never load; bundled,
// they would still cost about 110 KB and 20 ms of parsing at every cold start. They stay out of
// the bundle and, if ever reached, are required from the Lambda runtime's own SDK v3
// (/var/runtime/node_modules is on NODE_PATH; `require`, unlike `import()`, honours NODE_PATH).
// Everything that runs on the normal path (clients, signing, env credentials) is bundled.
const RUNTIME_CREDENTIAL_SOURCES = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];
const NAMESPACE = 'secretwatch-runtime-sdk';
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Routes imports of `modules` to the Lambda runtime's SDK v3 on NODE_PATH. A dynamic import()
 * goes through a require() stub, because the ES module resolver ignores NODE_PATH; a static import
 * is bundled (`bundleStatic`) or left to a plain require(), which honours it.
 */
function runtimeSdk(name, modules, { bundleStatic }) {
  return {
    name,
    setup(build) {
      const filter = new RegExp(`^(${modules.map(escapeRegExp).join('|')})$`);
      build.onResolve({ filter }, (args) => {
        if (args.namespace === NAMESPACE) return { path: args.path, external: true };
        if (args.kind !== 'dynamic-import') return bundleStatic ? undefined : { path: args.path, external: true };
        return { path: args.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

// A static import of a credential source is on the hot path: bundled.
const runtimeCredentialSources = runtimeSdk('secretwatch-runtime-credential-sources', RUNTIME_CREDENTIAL_SOURCES, { bundleStatic: true });

// ownChecksOnly: a monitor finds its checks in the registry (each check names the function that
// runs it), so a bundle that took the registry whole would carry every other function's checks
// too. When esbuild bundles handlers/<monitor>.ts, the registry it sees keeps only the lines of
// the checks that monitor runs, decided by the same checksRunBy the handler calls. A registry
// line that cannot be matched to its check fails the build rather than ship a function without it.
const REGISTRY_FILE = /[\\/]src[\\/]checks[\\/]registry\.ts$/;
const REGISTRY_LINE = /^export \{ \w+ \} from '\.\/[\w-]+\/([\w-]+)';$/;

function registryOf(source, ids, monitor) {
  const kept = new Set();
  const lines = source.split('\n').filter((line) => {
    const match = REGISTRY_LINE.exec(line.trim());
    if (!match) {
      if (/^\s*export\b/.test(line)) throw new Error(`src/checks/registry.ts: cannot read the check of "${line.trim()}" (expected: export { name } from './<family>/<check-id>';)`);
      return true;
    }
    if (!ids.has(match[1])) return false;
    kept.add(match[1]);
    return true;
  });
  const missing = [...ids].filter((id) => !kept.has(id));
  if (missing.length) throw new Error(`src/checks/registry.ts: no line for ${missing.join(', ')}, run by ${monitor} (a check's folder must be named by its id)`);
  return lines.join('\n');
}

const ownChecksOnly = {
  name: 'secretwatch-own-checks-only',
  setup(build) {
    const entries = Array.isArray(build.initialOptions.entryPoints) ? build.initialOptions.entryPoints : [];
    const match = entries.length === 1 && /(?:^|[\\/])handlers[\\/](\w+)\.ts$/.exec(String(entries[0]));
    if (!match) return;
    const entry = `handlers/${match[1]}`;
    build.onLoad({ filter: REGISTRY_FILE }, async (args) => {
      const { loadTypeScript } = require('./typescript');
      // The monitor whose function this entry is (a monitor may have a second entry for a mode).
      const moduleOf = (handler) => (handler ? handler.slice(0, handler.lastIndexOf('.')) : null);
      const declaration = loadTypeScript('src/monitors/index.ts').monitors.find((m) => [m.handler, m.centralScanHandler].some((h) => moduleOf(h) === entry));
      if (!declaration) return undefined;
      const monitor = declaration.name;
      const ids = new Set(
        loadTypeScript('src/checks/index.ts')
          .checksRunBy(declaration.checksOf ?? monitor)
          .map((check) => check.id),
      );
      // A monitor no check names: the registry stays whole.
      if (ids.size === 0) return undefined;
      const source = await require('node:fs/promises').readFile(args.path, 'utf8');
      return { contents: registryOf(source, ids, monitor), loader: 'ts' };
    });
  },
};

// optInClients: SDK clients kept out of the bundles, required from the Lambda runtime's own SDK
// v3 on NODE_PATH, like the credential sources above:
// - those of features a setting must turn on: Security Hub's (securityHub), IAM Access Analyzer's
//   (confirmWithAccessAnalyzer), Organizations' (scanOrganization);
// - those used off the cold-start path, by code loaded on first use: IAM's, which the identity
//   monitor needs only for an event that names a managed policy by ARN, and Lambda's, which the
//   central scan calls once a run to start its assembling step;
// - STS's, which only the central scan's functions use; their runs last minutes, so loading it
//   from the runtime at their cold start costs nothing that matters.
// Bundled, each would be a tenth to a fifth of its function's zip. The integration tests run the
// packaged functions with the repository's SDK on NODE_PATH in the runtime's place.
const OPT_IN_CLIENTS = ['@aws-sdk/client-accessanalyzer', '@aws-sdk/client-iam', '@aws-sdk/client-lambda', '@aws-sdk/client-organizations', '@aws-sdk/client-securityhub', '@aws-sdk/client-sts'];

const optInClients = runtimeSdk('secretwatch-opt-in-clients', OPT_IN_CLIENTS, { bundleStatic: false });

module.exports = [runtimeCredentialSources, optInClients, ownChecksOnly];
module.exports.OPT_IN_CLIENTS = OPT_IN_CLIENTS;
module.exports.registryOf = registryOf;
module.exports.RUNTIME_CREDENTIAL_SOURCES = RUNTIME_CREDENTIAL_SOURCES;
