/** Runs a client inside a test's network namespace with exactly the environment given. */
import type { Netns, NetnsRunResult } from '../support/netns';

/** `env -i`: nothing of the jest worker's own environment leaks into the client or the helper. */
export function runInNetns(
  netns: Netns,
  env: Readonly<Record<string, string>>,
  command: string,
  args: readonly string[],
): Promise<NetnsRunResult> {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return netns.run('/usr/bin/env', ['-i', ...assignments, command, ...args]);
}
