/**
 * The helper-process suites (e2e and integration) a second time, against the single executable
 * (dist/docker-credential-ecr-ts) instead of the JavaScript build: what users install must pass
 * the same tests. `npm test` runs this after the default config.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const base = require('./jest.config.cjs');

const executable = join(__dirname, 'dist', 'docker-credential-ecr-ts');
// scripts/build-sea.mjs pins a Node binary for linux-x64 only (so far).
const supported = process.platform === 'linux' && process.arch === 'x64';

if (!existsSync(executable) && supported) {
  throw new Error(`${executable} is missing: run \`npm run build\` first`);
}
if (!supported) {
  process.stderr.write(
    `jest.executable.config.cjs: no single executable is built on ${process.platform}-${process.arch}; skipping its run\n`,
  );
}
// Set before jest starts its workers, which inherit it; test/support/run-helper.ts reads it.
process.env.HELPER_BIN = executable;

module.exports = {
  ...base,
  displayName: 'executable',
  testMatch: supported
    ? ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts']
    : [],
  passWithNoTests: !supported,
  // These test packaging itself (they pack, install or chroot their own copies): once is enough.
  testPathIgnorePatterns: [
    '/node_modules/',
    '/test/integration/(npm-pack|install|no-node)\\.test\\.ts$',
  ],
};
