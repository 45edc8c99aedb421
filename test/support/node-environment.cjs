// Jest's node environment, plus removal of the temp folders a test file made with tempDir()
// (test/support/env.ts) once everything of that file has run, its own afterAll hooks included.
// They hold cache files with fake passwords, and CI machines are reused.
const { rmSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

class NodeEnvironmentWithCleanup extends TestEnvironment {
  async teardown() {
    for (const dir of this.global.__ecrTsTempDirs ?? []) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // e.g. a read-only folder when not running as root: leave it.
      }
    }
    await super.teardown();
  }
}

module.exports = NodeEnvironmentWithCleanup;
