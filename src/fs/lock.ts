/**
 * The one cross-process lock beside a file (`<file>.lock`): it makes N concurrent cold requests
 * for one cache scope one API call, and keeps concurrent writers of the file store and of docker's
 * config.json from losing each other's changes. It is proper-lockfile's mkdir lock, whose holder
 * refreshes the lock's mtime while alive, so a holder killed with SIGKILL leaves a lock that turns
 * stale within `staleMs` and is taken over. One attempt never waits: callers poll (poll.ts).
 *
 * The takeover is ours, not proper-lockfile's: its check-stale-then-remove lets two waiters that
 * both saw the stale lock remove each other's fresh one, and then both fetch (seen with 10
 * waiters on a loaded machine). Here a waiter removes a stale lock only while holding a second,
 * short-lived guard lock and after checking again that it is still stale.
 *
 * Something at the lock's name that is no lock of ours, or a stale lock that cannot be removed,
 * makes locking "unavailable" (docs/security-model.md): the caller then goes on without it or
 * fails at once, instead of waiting out the whole call bound for a lock nobody will ever release.
 */
import { lstatSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import type { LockOptions } from 'proper-lockfile';
import { errorCode } from '../error-code';
import { processOwner } from './owner';

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

/** Tries once to take the lock beside `file` (no waiting: the caller polls). */
export async function tryLock(options: {
  file: string;
  staleMs: number;
  onCompromised: (message: string) => void;
  /** Creates the folder the lock lives in (a no-op where it exists). */
  ensureDir: () => void;
}): Promise<LockAttempt> {
  // Loaded on the miss path only: a cache hit never evaluates the lock library (scripts/build.mjs
  // keeps it in dist/proper-lockfile.cjs).
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
  const cleared = removeIfStale(lockPath, options.staleMs);
  if (cleared === 'busy') return { state: 'busy' };
  if (cleared !== 'removed') return { state: 'unavailable', reason: cleared.unavailable };
  try {
    return await attempt();
  } catch (error) {
    const code = errorCode(error);
    return code === 'ELOCKED' ? { state: 'busy' } : { state: 'unavailable', reason: code };
  }
}

/** Why locking is impossible here: what is at a lock's name, said whole (`the lock <path> is …`). */
type Unavailable = { readonly unavailable: string };

/** What is at a lock's path: a lock to wait for, one to take over, nothing, or no lock at all. */
type LockState = 'live' | 'stale' | 'gone' | Unavailable;

/**
 * Judges the lock (or guard) folder at `path`. A real lock is an empty folder of this user; a
 * file, a symlink (dangling or not), a non-empty folder or another user's folder at its name is
 * no lock this helper can wait out or remove: nobody will ever release it (docs/security-model.md).
 * Only the owner is checked, not the mode: proper-lockfile makes the folder under the umask. An
 * mtime in the future beyond `staleMs` means the clock went back: no holder refreshes it to "now"
 * again in time.
 */
function lockState(path: string, staleMs: number): LockState {
  const no = (why: string): Unavailable => ({ unavailable: `the lock ${path} is ${why}` });
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    const code = errorCode(error);
    return code === 'ENOENT' ? 'gone' : no(`unreadable (${code})`);
  }
  if (stat.isSymbolicLink()) return no('a symbolic link');
  if (!stat.isDirectory()) return no('not a folder');
  const { euid } = processOwner();
  if (euid !== undefined && stat.uid !== euid)
    return no(`a folder of uid ${stat.uid}, not of this user`);
  const age = Date.now() - stat.mtimeMs;
  if (age > staleMs || age < -staleMs) return 'stale';
  try {
    if (readdirSync(path).length > 0) return no('a folder that is not empty');
  } catch {
    // Gone meanwhile, or unreadable: judged again on the next attempt.
  }
  return 'live';
}

/** The outcome of a takeover: done, someone else's turn, or the lock cannot be removed. */
type Takeover = 'removed' | 'busy' | Unavailable;

/** Removes `lockPath` if its holder stopped refreshing it; says when it cannot be removed. */
function removeIfStale(lockPath: string, staleMs: number): Takeover {
  const state = lockState(lockPath, staleMs);
  if (state !== 'stale') return typeof state === 'object' ? state : 'busy';
  const guard = `${lockPath}.takeover`;
  const notRemovable = (path: string): Unavailable => ({
    unavailable: `the lock ${path} is not removable`,
  });
  try {
    mkdirSync(guard, { mode: 0o700 });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') return { unavailable: errorCode(error) };
    // Another waiter is taking over. A guard left by a waiter that died mid-takeover (a window
    // of a few system calls) goes stale too, and is cleared for the next round.
    const guardState = lockState(guard, staleMs);
    if (typeof guardState === 'object') return guardState;
    return guardState === 'stale' && !removeDir(guard) ? notRemovable(guard) : 'busy';
  }
  try {
    // Only guard holders remove locks, so this second look cannot be overtaken.
    const again = lockState(lockPath, staleMs);
    if (again !== 'stale') return typeof again === 'object' ? again : 'busy';
    return removeDir(lockPath) ? 'removed' : notRemovable(lockPath);
  } finally {
    removeDir(guard);
  }
}

/** Removes an empty folder (a lock, a watcher slot); true when it is gone. */
export function removeDir(path: string): boolean {
  try {
    rmdirSync(path);
    return true;
  } catch (error) {
    return errorCode(error) === 'ENOENT';
  }
}
