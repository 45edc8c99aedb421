/**
 * A fleet that starts at once: many helper processes launched together against one fake ECR,
 * each with its own HOME (its own cache) and its own key, so the fake's requests say which
 * machine made them. Shared by test/integration/throttling.test.ts and bench/fleet.ts.
 */
import { rmSync } from 'node:fs';
import { cleanEnv, keyEnv, tempDir } from './env';
import type { FakeEcr, KeyStore } from './fake-aws';
import { runHelper, type RunResult } from './run-helper';

/** One machine's run: what it printed, and the API attempts its key made. */
export interface MachineRun {
  readonly result: RunResult;
  /** Exit 0 with an answer on stdout. */
  readonly served: boolean;
  readonly attempts: number;
  /** Its stdout's first line (the failure line when not served). */
  readonly line: string;
}

/** The whole fleet's run. */
export interface FleetRun {
  readonly machines: readonly MachineRun[];
  readonly served: number;
  /** GetAuthorizationToken requests the fake saw during the run. */
  readonly attempts: number;
  readonly throttled: number;
  /** The slowest served machine's wall time (ms from its start), or 0 when none was served. */
  readonly slowestServedMs: number;
  /** The slowest machine's wall time, served or not. */
  readonly slowestMs: number;
}

/** Starts `count` helpers at the same moment and waits for all of them. */
export async function runFleet(options: {
  readonly ecr: FakeEcr;
  readonly keys: KeyStore;
  readonly count: number;
  /** The executable (ours or the Go helper). */
  readonly bin: string;
  /** The registry host asked for. */
  readonly host: string;
  /** Variables every machine gets on top of a clean env, its HOME and its key. */
  readonly env: Record<string, string>;
  /** A safety net: a machine still running then is killed. */
  readonly killAfterMs: number;
}): Promise<FleetRun> {
  const fleet = Array.from({ length: options.count }, () => ({
    home: tempDir('ecr-ts-fleet-'),
    key: options.keys.issue(),
  }));
  const before = options.ecr.requests.length;
  const throttledBefore = options.ecr.throttledCalls();
  try {
    const results = await Promise.all(
      fleet.map(({ home, key }) =>
        runHelper({
          bin: options.bin,
          args: ['get'],
          input: `${options.host}\n`,
          // An empty value means "unset" (cleanEnv's catch-all endpoint, say).
          env: withoutEmpty(cleanEnv(home, { ...keyEnv(key), ...options.env })),
          killAfterMs: options.killAfterMs,
        }),
      ),
    );
    const requests = options.ecr.requests.slice(before);
    const machines = results.map((result, index) => ({
      result,
      served: result.code === 0 && result.stdout.startsWith('{'),
      attempts: requests.filter(
        (request) => request.verification?.accessKeyId === fleet[index]?.key.accessKeyId,
      ).length,
      line: result.stdout.split('\n')[0] ?? '',
    }));
    const served = machines.filter((machine) => machine.served);
    return {
      machines,
      served: served.length,
      attempts: requests.length,
      throttled: options.ecr.throttledCalls() - throttledBefore,
      slowestServedMs: Math.max(0, ...served.map((machine) => machine.result.ms)),
      slowestMs: Math.max(0, ...machines.map((machine) => machine.result.ms)),
    };
  } finally {
    // Under jest tempDir() removes them too; a bench has no such hook.
    for (const { home } of fleet) rmSync(home, { recursive: true, force: true });
  }
}

function withoutEmpty(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}
