/**
 * Cleanup that registers itself, as ky's `createHttpTestServer(t)` does with `t.teardown`: what a
 * test makes is undone when that test is done, what a beforeAll makes when its file is done.
 * test/support/node-environment.cjs runs them, so a helper needs no afterEach of its own.
 */

type Cleanup = () => unknown;
type Defer = (cleanup: Cleanup) => void;

function defer(): Defer | undefined {
  return (globalThis as { __ecrTsDeferCleanup?: Defer }).__ecrTsDeferCleanup;
}

/** Whether this runs in a jest file with that environment (not, say, a bench script). */
export function underJest(): boolean {
  return defer() !== undefined;
}

/**
 * Runs `cleanup` after the current test (its hooks included, failed or not) or, called outside a
 * test (beforeAll, module level), after the test file. Last registered runs first.
 */
export function deferCleanup(cleanup: Cleanup): void {
  const register = defer();
  if (!register) {
    throw new Error('deferCleanup() needs the jest environment test/support/node-environment.cjs');
  }
  register(cleanup);
}
