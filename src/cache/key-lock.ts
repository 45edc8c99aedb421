/**
 * The cross-process lock that makes N concurrent cold requests for one scope one API call. It is
 * proper-lockfile's mkdir lock, whose holder refreshes the lock's mtime while alive, so a holder
 * killed with SIGKILL leaves a lock that turns stale within `staleMs` and is taken over.
 *
 * The takeover is ours, not proper-lockfile's: its check-stale-then-remove lets two waiters that
 * both saw the stale lock remove each other's fresh one, and then both fetch (seen with 10
 * waiters on a loaded machine). Here a waiter removes a stale lock only while holding a second,
 * short-lived guard lock and after checking again that it is still stale.
 */
import { rmdirSync, statSync, mkdirSync } from 'node:fs';
import type { LockOptions } from 'proper-lockfile';
import { errorCode } from '../error-code';

/** The outcome of one attempt: held (with its release), busy, or locking is impossible here. */
export type LockAttempt =
  | { readonly state: 'held'; readonly release: () => Promise<void> }
  | { readonly state: 'busy' }
  | { readonly state: 'unavailable'; readonly reason: string };

/** How long a lock whose holder stopped refreshing it is still honoured, for a call bound. */
export function staleMsFor(timeoutMs: number): number {
  // 5 s at most keeps a dead holder's cost well inside the default 10 s bound while leaving a
  // live holder, starved of CPU by 50 sibling processes on 2 cores, ample time to refresh the
  // mtime every staleMs / 4; 2 s at least, whatever the bound.
  return Math.min(5000, Math.max(2000, Math.round(timeoutMs / 2)));
}

// proper-lockfile must never judge staleness itself (see above): a day is "never" for a helper.
const NEVER_STALE_MS = 24 * 3600_000;

/** Tries once to take the lock beside `file` (no waiting: the caller polls the cache meanwhile). */
export async function tryLock(options: {
  file: string;
  staleMs: number;
  onCompromised: (message: string) => void;
  /** Creates the folder the lock lives in. */
  ensureDir: () => void;
  now?: () => number;
}): Promise<LockAttempt> {
  // Loaded on the miss path only: a cache hit never evaluates the lock library.
  const { lock } = await import('proper-lockfile');
  const lockPath = `${options.file}.lock`;
  const lockOptions: LockOptions = {
    realpath: false,
    lockfilePath: lockPath,
    stale: NEVER_STALE_MS,
    update: Math.max(1000, Math.floor(options.staleMs / 4)),
    retries: 0,
    // The default throws from a timer (an uncaught crash). Losing the lock only risks one extra
    // API call, so note it and carry on.
    onCompromised: (error: Error) => options.onCompromised(error.message),
  };
  const attempt = async (): Promise<LockAttempt> => {
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
  };
  try {
    options.ensureDir();
    return await attempt();
  } catch (error) {
    if (errorCode(error) !== 'ELOCKED') return { state: 'unavailable', reason: errorCode(error) };
  }
  if (!removeIfStale(lockPath, options.staleMs, options.now ?? Date.now)) return { state: 'busy' };
  try {
    return await attempt();
  } catch (error) {
    const code = errorCode(error);
    return code === 'ELOCKED' ? { state: 'busy' } : { state: 'unavailable', reason: code };
  }
}

/** Removes `lockPath` if its holder stopped refreshing it; true when it did. */
export function removeIfStale(lockPath: string, staleMs: number, now: () => number): boolean {
  if (!isStale(lockPath, staleMs, now)) return false;
  const guard = `${lockPath}.takeover`;
  try {
    mkdirSync(guard);
  } catch {
    // Another waiter is taking over. A guard left by a waiter that died mid-takeover (a window
    // of a few system calls) goes stale too, and is cleared for the next round.
    if (isStale(guard, staleMs, now)) removeDir(guard);
    return false;
  }
  try {
    // Only guard holders remove locks, so this second look cannot be overtaken.
    if (!isStale(lockPath, staleMs, now)) return false;
    removeDir(lockPath);
    return true;
  } finally {
    removeDir(guard);
  }
}

function isStale(path: string, staleMs: number, now: () => number): boolean {
  try {
    return now() - statSync(path).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

function removeDir(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Gone already.
  }
}
