/** Finds the real peers (client tools, servers) the e2e tests drive; never skips silently. */
import { spawnSync } from 'node:child_process';

/**
 * Reports a missing peer: a visible skip notice, or, when REQUIRE_E2E_PEERS is set (CI, which
 * installs every peer), an error that fails the suite so a broken install cannot pass unseen.
 */
export function missingPeer(message: string): false {
  if (process.env['REQUIRE_E2E_PEERS']) {
    throw new Error(`${message}; REQUIRE_E2E_PEERS is set, so this fails instead of skipping`);
  }
  console.warn(`SKIPPED: ${message}; run scripts/install-test-deps.sh to install the test peers`);
  return false;
}

/** Runs `probe` and answers whether it exited 0; reports a missing peer when it did not. */
export function haveTool(label: string, probe: readonly string[]): boolean {
  const [command = '', ...args] = probe;
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  if (result.status === 0) return true;
  return missingPeer(`${label} is not available (\`${probe.join(' ')}\` failed)`);
}
