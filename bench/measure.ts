/** Timing helpers for the benchmarks: wall time of whole child processes, medians. */
import { spawn } from 'node:child_process';

/** One timed run of an executable. */
export interface Timed {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` with `input` on stdin and times it from spawn to exit, in milliseconds. */
export function timeRun(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; input?: string },
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [...args], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ ms, code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

/** Fails loudly when a measured run did not do what it was measuring. */
export function expectOk(run: Timed, what: string): Timed {
  if (run.code !== 0)
    throw new Error(`${what} failed (exit ${run.code}): ${run.stdout} ${run.stderr}`);
  return run;
}
