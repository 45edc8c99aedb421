/**
 * The real Program: runs an executable with one action word, writes stdin, reads stdout, bounded
 * by the call's deadline and an output cap. The helper runs in its own process group, so a hung
 * grandchild (docker-credential-pass -> pass -> gpg) is stopped with it.
 */
import type { ChildProcess } from 'node:child_process';
import type { Env } from '../env';
import { errorCode } from '../error-code';
import type { Program, ProgramOutcome } from './program';

/** Nothing a credential helper answers comes near this; more is a runaway. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** Its stderr is only kept for one debug line: a flood must not make a huge one. */
const MAX_STDERR_BYTES = 4 * 1024;
/** No helper answers in less (a shell starts in a few ms, `pass` and gpg take far more). */
const MIN_BUDGET_MS = 100;

/** A Program that runs `path` with `env`, stopped at `deadline` (epoch ms) or on `signal`. */
export function execProgram(options: {
  path: string;
  env: Env;
  deadline: number;
  signal?: AbortSignal;
}): Program {
  return async (action, input) => {
    // Loaded on first use: a cache hit for ECR never starts a process.
    const { spawn } = await import('node:child_process');
    const budgetMs = Math.max(0, options.deadline - Date.now());
    // Started with no time left, it would be stopped at once and blamed for not answering.
    if (budgetMs < MIN_BUDGET_MS) return { kind: 'no-time' };
    return new Promise<ProgramOutcome>((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(options.path, [action], {
          env: { ...options.env },
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: true,
        });
      } catch (error) {
        resolve({ kind: 'missing', reason: errorCode(error) });
        return;
      }
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let size = 0;
      let stderrSize = 0;
      let settled: ProgramOutcome | undefined;
      const stop = (outcome: ProgramOutcome): void => {
        settled ??= outcome;
        killGroup(child);
      };
      const timer = setTimeout(
        () => stop({ kind: 'timeout', seconds: Math.round(budgetMs / 100) / 10 }),
        budgetMs,
      );
      const onAbort = (): void =>
        stop({ kind: 'timeout', seconds: Math.round(budgetMs / 100) / 10 });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout?.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT_BYTES) stop({ kind: 'too-large', limitBytes: MAX_OUTPUT_BYTES });
        else stdout.push(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        if (stderrSize < MAX_STDERR_BYTES) stderr.push(chunk);
        stderrSize += chunk.length;
      });
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
      let finished = false;
      const finish = (outcome: ProgramOutcome): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        let text = Buffer.concat(stderr).subarray(0, MAX_STDERR_BYTES).toString('utf8').trim();
        if (stderrSize > MAX_STDERR_BYTES) text += ` [cut: it printed ${stderrSize} bytes]`;
        resolve({ ...(settled ?? outcome), ...(text ? { stderr: text } : {}) });
      };
      child.on('error', (error) => {
        finish({ kind: 'missing', reason: errorCode(error) });
      });
      // 'exit', not 'close': a grandchild holding the pipes open must not keep us waiting.
      child.on('exit', (status, signal) => {
        // Whatever is still buffered in the pipe arrives before 'close'; a short grace collects it.
        const done = (): void =>
          finish(
            signal !== null
              ? { kind: 'killed', signal }
              : {
                  kind: 'exited',
                  status: status ?? 1,
                  stdout: Buffer.concat(stdout).toString('utf8'),
                },
          );
        if (settled) return done();
        const grace = setTimeout(() => {
          killGroup(child);
          done();
        }, 200);
        child.once('close', () => {
          clearTimeout(grace);
          done();
        });
      });
    });
  };
}

/** SIGKILL to the helper's whole process group (it leads one: spawned detached). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
