/** Timing helpers for the benchmarks: wall time of whole child processes, medians. */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One timed run of an executable. */
export interface Timed {
  readonly ms: number;
  /** User + system CPU of the child, in ms (clock-tick resolution: average many runs). */
  readonly cpuMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command args` with `input` on stdin and times it from spawn to exit, in milliseconds.
 * stdin is a file unless `socket`: Node's 'pipe', a socket pair, as any Node caller (Testcontainers)
 * hands a helper.
 */
export function timeRun(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; input?: string; socket?: boolean },
): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const cpuBefore = childrenCpuMs();
    const started = process.hrtime.bigint();
    // By default stdin from a file, read as docker's and docker-py's pipe is (plain fs reads); a
    // socket pair takes the stream path (src/main.ts stdinStream), measured on its own row.
    const stdin = options.socket ? 'pipe' : openSync(inputFile(options.input ?? ''), 'r');
    const child = spawn(command, [...args], { env: options.env, stdio: [stdin, 'pipe', 'pipe'] });
    if (typeof stdin === 'number') closeSync(stdin);
    else child.stdin?.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // 'close' comes after the child was reaped, so its CPU time is in our children's total.
      resolve({ ms, cpuMs: childrenCpuMs() - cpuBefore, code, stdout, stderr });
    });
  });
}

const inputFiles = new Map<string, string>();
let inputDir: string | undefined;

/** A file holding `input`, written once per distinct input. */
function inputFile(input: string): string {
  let file = inputFiles.get(input);
  if (!file) {
    inputDir ??= mkdtempSync(join(tmpdir(), 'ecr-ts-bench-'));
    file = join(inputDir, `input-${inputFiles.size}`);
    writeFileSync(file, input);
    inputFiles.set(input, file);
  }
  return file;
}

let ticksPerSecond: number | undefined;

/**
 * CPU time (user + system) of this process's reaped children so far, from /proc (Linux; 0
 * elsewhere). Wall time on a busy 2-core machine swings with the neighbours' load; CPU time
 * much less, so the bench prints both.
 */
export function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the parenthesised command name: cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The mean of some numbers (for CPU times, whose clock-tick steps only average out). */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
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

const GNU_TIME = '/usr/bin/time';

/**
 * The peak resident memory (max RSS, in KiB) of `command` over `runs` runs, from GNU time
 * (Debian's `time` package, installed by scripts/install-test-deps.sh); undefined without it.
 */
export async function peakRssKb(
  command: string,
  args: readonly string[],
  options: { env: Record<string, string>; input?: string },
  runs: number,
): Promise<number | undefined> {
  if (!existsSync(GNU_TIME)) return undefined;
  let peak = 0;
  for (let i = 0; i < runs; i += 1) {
    const run = expectOk(
      await timeRun(GNU_TIME, ['-f', 'peak-rss-kb=%M', command, ...args], options),
      `${command} under ${GNU_TIME}`,
    );
    const kb = Number(/peak-rss-kb=(\d+)/.exec(run.stderr)?.[1]);
    if (!Number.isFinite(kb)) throw new Error(`${GNU_TIME} printed no peak RSS: ${run.stderr}`);
    peak = Math.max(peak, kb);
  }
  return peak;
}
