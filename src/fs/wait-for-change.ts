/**
 * Lets a process that waits for another one's work (a token in the cache folder) sleep until the
 * folder changes, instead of polling hard: with 50 helpers waiting on 2 cores, tight polling would
 * starve the one process doing the work. A timer still wakes it now and then, where file events
 * do not arrive (NFS).
 *
 * Each watcher is an inotify instance, and Linux allows a user 128 of them by default: one per
 * waiter would leave the user's other programs (editors, file managers) none during a burst of
 * pulls (docs/token-cache.md). So only the first few waiters of a folder watch it, each holding a
 * slot (a `waiter-<n>.slot` folder, made atomically with mkdir); the others rely on their timer.
 */
import { lstatSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { removeDir } from './lock';

/** At most this many processes watch one cache folder at a time. */
const MAX_WATCHERS = 4;
/** A slot older than this is taken as left by a killed waiter, and reused. */
const SLOT_STALE_MS = 60_000;

/** A folder watcher: `next` resolves on the first change, after `ms`, or on abort. */
export interface ChangeWaiter {
  next(ms: number): Promise<void>;
  close(): void;
}

/** Watches `dir` (without keeping the process alive) if a slot is free; else the timer alone. */
export function waitForChange(dir: string, signal: AbortSignal): ChangeWaiter {
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  const slot = claimSlot(dir);
  if (slot) {
    try {
      watcher = watch(dir, { persistent: false }, () => wake?.());
      watcher.on('error', () => undefined);
    } catch {
      // No file events here: the timer alone paces the wait.
    }
  }
  return {
    next: (ms) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
        wake = done;
      }),
    close: () => {
      watcher?.close();
      if (slot) removeDir(slot);
    },
  };
}

/** Takes a free watcher slot of `dir`, or undefined when all are taken (or none can be made). */
function claimSlot(dir: string): string | undefined {
  for (let index = 0; index < MAX_WATCHERS; index += 1) {
    const slot = join(dir, `waiter-${index}.slot`);
    if (makeDir(slot)) return slot;
    if (isOld(slot) && removeDir(slot) && makeDir(slot)) return slot;
  }
  return undefined;
}

function makeDir(path: string): boolean {
  try {
    mkdirSync(path, { mode: 0o700 });
    return true;
  } catch {
    return false;
  }
}

function isOld(path: string): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isDirectory() && Date.now() - stat.mtimeMs > SLOT_STALE_MS;
  } catch {
    return false;
  }
}
