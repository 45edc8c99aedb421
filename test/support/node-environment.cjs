// Jest's node environment, plus the one place where what tests leave behind is cleaned up (temp
// folders holding cache files with fake passwords, fake servers): test/support/cleanup.ts hands
// each cleanup here. One made during a test (its beforeEach/afterEach hooks included) runs when
// that test is done, after its hooks, failed or not; one made outside a test (beforeAll, module
// level) runs once the whole file has run, its own afterAll hooks included.
const { TestEnvironment } = require('jest-environment-node');

/** Runs `cleanups` last-registered first; returns what they threw. */
async function runAll(cleanups) {
  const errors = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  return errors;
}

class NodeEnvironmentWithCleanup extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testCleanups = [];
    this.fileCleanups = [];
    this.inTest = false;
    this.global.__ecrTsDeferCleanup = (cleanup) =>
      (this.inTest ? this.testCleanups : this.fileCleanups).push(cleanup);
  }

  async handleTestEvent(event, state) {
    if (event.name === 'test_start') this.inTest = true;
    if (event.name === 'test_done' || event.name === 'test_skip' || event.name === 'test_todo') {
      this.inTest = false;
      // A cleanup that fails fails its test (test_done is dispatched before the result is sent).
      event.test.errors.push(...(await runAll(this.testCleanups)));
    }
    if (event.name === 'run_finish') {
      state.unhandledErrors.push(...(await runAll(this.fileCleanups)));
    }
  }

  async teardown() {
    // After run_finish nothing should be left; this catches a file whose run was cut short.
    await runAll(this.testCleanups);
    await runAll(this.fileCleanups);
    await super.teardown();
  }
}

module.exports = NodeEnvironmentWithCleanup;
