/**
 * A named subset of the executable suite against the linux-arm64 release file, run on this x64
 * machine under qemu-user (`qemu-aarch64-static -L /usr/aarch64-linux-gnu`, with Debian's arm64
 * cross libraries: scripts/install-test-deps.sh). About a second per start under emulation, so not
 * suite: test/integration/essentials.test.ts (the protocol, a signed cold fetch through the
 * container credential endpoint, a cache hit, a hang ended by the deadline) and
 * runtime-differences.test.ts (.env in the working folder, the cache shared with the npm bin).
 * `npm run test:arm64` after `npm run build:release`.
 */
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const base = require('./jest.config.cjs');

const release = join(__dirname, 'dist', 'release');
const target = join(release, 'docker-credential-ecr-ts-linux-arm64');
const qemu = ['/usr/bin/qemu-aarch64-static', '/usr/bin/qemu-aarch64'].find((file) =>
  existsSync(file),
);
const libraries = '/usr/aarch64-linux-gnu';

const missing = [
  [target, 'run `npm run build:release`'],
  [qemu ?? 'qemu-aarch64-static', 'install qemu-user-static (scripts/install-test-deps.sh)'],
  [
    join(libraries, 'lib', 'ld-linux-aarch64.so.1'),
    'install libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross',
  ],
].filter(([file]) => !existsSync(file));
if (missing.length > 0) {
  throw new Error(
    `jest.arm64.config.cjs: ${missing.map(([f, fix]) => `${f} is missing: ${fix}`).join('; ')}`,
  );
}

// The tests spawn HELPER_BIN like any executable (by path, through symlinks, in namespaces): a
// wrapper named like the helper runs the arm64 file under qemu.
const wrapperDir = join(release, '.qemu-arm64');
mkdirSync(wrapperDir, { recursive: true });
const wrapper = join(wrapperDir, 'docker-credential-ecr-ts');
writeFileSync(wrapper, `#!/bin/sh\nexec ${qemu} -L ${libraries} '${target}' "$@"\n`, {
  mode: 0o755,
});
process.env.HELPER_BIN = wrapper;
process.env.ECR_TS_TEST_EMULATED = '1';

module.exports = {
  ...base,
  displayName: 'linux-arm64 (qemu)',
  // essentials.test.ts is written for this: few starts, and wider bounds when it sees this.
  testMatch: [
    '<rootDir>/test/integration/essentials.test.ts',
    '<rootDir>/test/integration/runtime-differences.test.ts',
  ],
  // Emulated starts take seconds each.
  testTimeout: 300_000,
};
