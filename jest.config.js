/** Unit tests run alone with `--selectProjects unit`; integration and end-to-end share one Temporal dev server and one throwaway database. */
const tsJest = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
// Packages that are ES modules only (openid-client, oauth4webapi, jose, cookie) or load one with import()
// (@fastify/cookie), and content-disposition (which @fastify/static, behind swagger-ui, requires). Node (>= 20.19) require()s them in dist/, but jest's CommonJS runtime can neither require an ES
// module nor run import() without --experimental-vm-modules, so jest compiles just these to CommonJS (TypeScript,
// transpile only; it turns import() into require() too).
const ESM_ONLY = ['openid-client', 'oauth4webapi', 'jose', 'cookie', '@fastify/cookie', 'content-disposition'];
const transform = { ...tsJest, [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true } }] };
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`];
module.exports = {
  // Integration tests wait on real timers and real servers; unit tests finish long before this.
  testTimeout: 180000,
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, transformIgnorePatterns, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
