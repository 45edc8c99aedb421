/**
 * The shared fixture of the failure suites: a fake ECR and container credential endpoint per test,
 * a runner for the helper against them, and the checks every failure must pass.
 */
import { createServer, type AddressInfo } from 'node:net';
import { startEcrFixture } from '../support/ecr-fixture';
import type { FakeCredentialEndpoint, FakeEcr, KeyStore } from '../support/fake-aws';
import type { RunResult } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';

/** The registry every failure test asks for. */
export { ECR_HOST as HOST } from '../support/registry-host';
/**
 * A small bound keeps hang tests fast (one in hangs.test.ts covers the 10 s default); others keep
 * the default, so a loaded machine cannot turn their failure into a timeout.
 */
export const BOUND_S = 4;
/** Far beyond any bound: a helper still running then is killed, and the test fails. */
export const SAFETY_KILL_MS = 30_000;

/** The fakes of one test and a way to run the helper against them. */
export interface World {
  readonly keys: KeyStore;
  readonly ecr: FakeEcr;
  readonly creds: FakeCredentialEndpoint;
  run(extra?: Record<string, string>): Promise<RunResult>;
}

/**
 * Starts the shared ECR fixture before each test (it cleans up after itself); each `run` gets a
 * fresh HOME from `tempDir`, so no run answers from another's cache.
 */
export function useFailureWorld(tempDir: () => string): () => World {
  let world: World | undefined;
  beforeEach(async () => {
    const fx = await startEcrFixture();
    world = {
      keys: fx.keys,
      ecr: fx.ecr,
      creds: fx.creds,
      run: (extra: Record<string, string> = {}) =>
        fx.get({ env: fx.env(extra, tempDir()), killAfterMs: SAFETY_KILL_MS }),
    };
  });

  const setup = (): World => {
    if (!world) throw new Error('no fakes');
    return world;
  };
  return setup;
}

/** Exit 1 (not killed), exactly one line on stdout, not the not-found text, no secret. */
export function expectFailure(result: RunResult, w: World): string {
  expect(result.signal).toBeNull();
  expect(result.code).toBe(1);
  const lines = result.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  const line = lines[0] ?? '';
  expect(line).not.toBe('credentials not found in native keychain');
  const secrets = [...secretsOf([...w.keys.keys.values()]), ...w.ecr.passwords];
  expectNoSecrets(result.stdout, secrets, 'stdout');
  expectNoSecrets(result.stderr, secrets, 'stderr');
  return line;
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
