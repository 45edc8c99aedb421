/**
 * The cross-process lock that makes N concurrent cold requests for one scope one API call. It is
 * proper-lockfile's mkdir lock, whose holder refreshes the lock's mtime while alive, so a holder
 * killed with SIGKILL leaves a lock that turns stale within `staleMs` and is taken over.
 */
import type { LockOptions } from 'proper-lockfile';
import { errorCode } from './token-store';

/** The outcome of one attempt: held (with its release), busy, or locking is impossible here. */
export type LockAttempt =
  | { readonly state: 'held'; readonly release: () => Promise<void> }
  | { readonly state: 'busy' }
  | { readonly state: 'unavailable'; readonly reason: string };

/** How long a lock whose holder stopped refreshing it is still honoured, for a call bound. */
export function staleMsFor(timeoutMs: number): number {
  // proper-lockfile's floor is 2 s. 5 s at most keeps a dead holder's cost well inside the
  // default 10 s bound while leaving a live holder, starved of CPU by 50 sibling processes
  // on 2 cores, ample time to refresh the mtime every staleMs / 4.
  return Math.min(5000, Math.max(2000, Math.round(timeoutMs / 2)));
}

/** Tries once to take the lock beside `file` (no waiting: the caller polls the cache meanwhile). */
export async function tryLock(options: {
  file: string;
  staleMs: number;
  onCompromised: (message: string) => void;
  /** Creates the folder the lock lives in. */
  ensureDir: () => void;
}): Promise<LockAttempt> {
  // Loaded on the miss path only: a cache hit never evaluates the lock library.
  const { lock } = await import('proper-lockfile');
  const lockOptions: LockOptions = {
    realpath: false,
    lockfilePath: `${options.file}.lock`,
    stale: options.staleMs,
    update: Math.max(1000, Math.floor(options.staleMs / 4)),
    retries: 0,
    // The default throws from a timer (an uncaught crash). Losing the lock only risks one extra
    // API call, so note it and carry on.
    onCompromised: (error: Error) => options.onCompromised(error.message),
  };
  try {
    options.ensureDir();
    const release = await lock(options.file, lockOptions);
    return {
      state: 'held',
      release: async () => {
        try {
          await release();
        } catch {
          // Already released or taken over as stale: nothing left to undo.
        }
      },
    };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOCKED') return { state: 'busy' };
    return { state: 'unavailable', reason: code };
  }
}
