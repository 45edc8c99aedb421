/** Jest runs the TypeScript sources directly (swc strips types), so unit tests need no build. */
module.exports = {
  testEnvironment: '<rootDir>/test/support/node-environment.cjs',
  // A temp HOME and a PATH without the user's folders or an installed helper, for every worker.
  globalSetup: '<rootDir>/test/support/global-setup.cjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.cjs',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // jsonc-parser's parser module, as src/ imports it for the bundles, is ESM; jest runs CommonJS
  // from node_modules, and the package ships the same module as UMD.
  // @noble/hashes ships ESM only (src/cache/sha256.ts requires it on Node): swc makes it CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!@noble/hashes/)'],
  moduleNameMapper: {
    '^jsonc-parser/lib/esm/impl/parser\\.js$': 'jsonc-parser/lib/umd/impl/parser.js',
  },
  // Two cores: two workers keep e2e process fan-out from starving each other.
  maxWorkers: 2,
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
