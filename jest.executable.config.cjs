/**
 * The helper-process suites (e2e and integration) a second time, against the executable
 * (dist/docker-credential-ecr-ts, compiled by Bun) instead of the JavaScript build on Node: what
 * users install must pass the same tests, and whatever Bun runs differently from Node must show
 * up here. `npm test` runs this after the default config.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const base = require('./jest.config.cjs');

const executable = process.env.HELPER_BIN ?? join(__dirname, 'dist', 'docker-credential-ecr-ts');
// ECR_TS_SKIP_EXECUTABLE: the build made the npm package alone (a platform Bun does not run on).
const skipped = Boolean(process.env.ECR_TS_SKIP_EXECUTABLE);

if (!existsSync(executable) && !skipped) {
  throw new Error(`${executable} is missing: run \`npm run build\` first`);
}
if (skipped) {
  process.stderr.write('jest.executable.config.cjs: ECR_TS_SKIP_EXECUTABLE is set; skipping\n');
}
// Set before jest starts its workers, which inherit it; test/support/run-helper.ts reads it.
process.env.HELPER_BIN = executable;

module.exports = {
  ...base,
  displayName: 'executable',
  testMatch: skipped
    ? []
    : ['<rootDir>/test/e2e/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'],
  passWithNoTests: skipped,
  // These test packaging itself (they pack, install or chroot their own copies): once is enough.
  testPathIgnorePatterns: [
    '/node_modules/',
    '/test/integration/(npm-pack|install|no-node|release|release-signing|packages|hermetic)\\.test\\.ts$',
  ],
};
