/** Finds the real client tools the e2e tests drive, and says so loudly when one is missing. */
import { spawnSync } from 'node:child_process';

/** Runs `probe` and answers whether it exited 0; prints a visible skip notice when it did not. */
export function haveTool(label: string, probe: readonly string[]): boolean {
  const [command = '', ...args] = probe;
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  if (result.status === 0) return true;
  console.warn(
    `SKIPPED: ${label} is not available (\`${probe.join(' ')}\` failed); ` +
      'run scripts/install-test-deps.sh to install the test peers',
  );
  return false;
}

/** True when running as root with `ip netns` usable, which the namespace tests need. */
export function haveNetns(label: string): boolean {
  if (process.getuid?.() !== 0) {
    console.warn(`SKIPPED: ${label} needs root to create a network namespace`);
    return false;
  }
  return haveTool(`${label} (ip netns)`, ['ip', 'netns', 'list']);
}
