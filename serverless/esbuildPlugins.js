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
// runtimeOptionalClients: SDK clients that only an optional feature uses, imported lazily
// (`await import(...)`) where the feature is on. Bundled, the Security Hub client alone would add
// about 65 KB to every function's zip and slow every cold load by half, for a feature that is off
// by default; where it is on, it is required from the Lambda runtime's own SDK v3 like the
// credential sources above (docs/deploy.md, "Packaging").
const RUNTIME_OPTIONAL_CLIENTS = ['@aws-sdk/client-securityhub'];
const NAMESPACE = 'secretwatch-runtime-sdk';
const _escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const runtimeCredentialSources = {
  name: 'secretwatch-runtime-credential-sources',
  setup(build) {
    const filter = new RegExp(`^(${[...RUNTIME_CREDENTIAL_SOURCES, ...RUNTIME_OPTIONAL_CLIENTS].map(escape).join('|')})$`);
    build.onResolve({ filter }, (args) => {
      if (args.namespace === NAMESPACE) return { path: args.path, external: true };
      if (args.kind !== 'dynamic-import') return undefined; // a static import is on the hot path: bundle it
      return { path: args.path, namespace: NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

module.exports = [runtimeCredentialSources];
module.exports.RUNTIME_CREDENTIAL_SOURCES = RUNTIME_CREDENTIAL_SOURCES;
module.exports.RUNTIME_OPTIONAL_CLIENTS = RUNTIME_OPTIONAL_CLIENTS;
