/** Runs the built helper (or another executable) as a child process, the way docker does. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The helper executable under test: HELPER_BIN overrides (e.g. the single executable). */
export const HELPER_BIN =
  process.env['HELPER_BIN'] ?? join(__dirname, '..', '..', 'bin', 'docker-credential-ecr-ts');

/** What one run printed and how it ended. */
export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `bin args...` with `input` on stdin (omitted: stdin left open, as docker-py does). */
export function runHelper(options: {
  args: readonly string[];
  env: Record<string, string>;
  input?: string;
  bin?: string;
  /** Working folder (docker runs the helper wherever the user typed the command). */
  cwd?: string;
  /** Run as this user and group (root only): permission bits do not bind root. */
  user?: { uid: number; gid: number };
  /** Kill after this many ms (a test safety net, not an assertion). */
  killAfterMs?: number;
}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.bin ?? HELPER_BIN, [...options.args], {
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.user ?? {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.on('error', () => undefined);
    if (options.input !== undefined) child.stdin.end(options.input);
  });
}
