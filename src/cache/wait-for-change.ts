/**
 * Lets a process that waits for another one's token sleep until the cache folder changes, instead
 * of polling hard: with 50 helpers waiting on 2 cores, tight polling would starve the one process
 * doing the work. A timer still wakes it now and then, where file events do not arrive (NFS).
 */
import { watch, type FSWatcher } from 'node:fs';

/** A folder watcher: `next` resolves on the first change, after `ms`, or on abort. */
export interface ChangeWaiter {
  next(ms: number): Promise<void>;
  close(): void;
}

/** Watches `dir` (without keeping the process alive); falls back to the timer alone. */
export function waitForChange(dir: string, signal: AbortSignal): ChangeWaiter {
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, () => wake?.());
    watcher.on('error', () => undefined);
  } catch {
    // No file events here: the timer alone paces the wait.
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
    close: () => watcher?.close(),
  };
}
