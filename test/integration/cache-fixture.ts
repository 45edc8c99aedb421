/** The token cache's integration tests run in the shared ECR fixture (test/support/ecr-fixture.ts). */
import { startEcrFixture, type EcrFixture } from '../support/ecr-fixture';
import type { RunResult } from '../support/run-helper';

/** The private registry most tests ask for. */
export { ECR_HOST as HOST } from '../support/registry-host';

/** A fake ECR and container credential endpoint, and a temp HOME for the helper. */
export type CacheFixture = EcrFixture;

/** Starts the fakes; they are closed and HOME removed after the test. */
export function startCacheFixture(
  options: { lifetimeSeconds?: number } = {},
): Promise<CacheFixture> {
  return startEcrFixture({ homePrefix: 'ecr-ts-cache-', ...options });
}

/** The Secret of a successful `get` answer (throws with the run's output otherwise). */
export function secretOf(result: RunResult): string {
  if (result.code !== 0) {
    throw new Error(`helper failed (${result.code}): ${result.stdout} ${result.stderr}`);
  }
  const answer = JSON.parse(result.stdout) as { Secret?: unknown };
  if (typeof answer.Secret !== 'string') throw new Error(`no Secret in ${result.stdout}`);
  return answer.Secret;
}
