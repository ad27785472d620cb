// ts-jest transpiles only (isolatedModules); `tsc --noEmit` in `npm test` does the type checking once.
const transform = {
  '^.+\\.ts$': [
    'ts-jest',
    {
      tsconfig: { isolatedModules: true, module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, resolveJsonModule: true, target: 'ES2022' },
    },
  ],
};

// Jest loads CommonJS: the English zod locale the code imports as ES module (for the bundles'
// tree shaking) is taken from its CommonJS twin, which shares the CommonJS zod core jest loads.
const moduleNameMapper = { '^zod/v4/locales/en\\.js$': '<rootDir>/node_modules/zod/v4/locales/en.cjs' };

const common = { testEnvironment: 'node', transform, moduleNameMapper };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/integration/', '<rootDir>/test/template/', '<rootDir>/test/deploy/'],
      setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
    },
    {
      ...common,
      displayName: 'template',
      testMatch: ['<rootDir>/test/template/**/*.test.ts'],
      // Packages the service once per run (serverless package) for every template test.
      globalSetup: '<rootDir>/test/template/globalSetup.ts',
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'deploy',
      // `serverless deploy` and `remove` of each mode against moto_server (minutes): a CI step of its own.
      testMatch: ['<rootDir>/test/deploy/**/*.test.ts'],
    },
  ],
};
