/**
 * One process per cache scope fetches; the others wait. Takes the lock beside the scope's file,
 * or, while another process holds it, sleeps until the cache folder changes and looks again
 * (src/fs/poll.ts, src/fs/wait-for-change.ts).
 */
import type { CallContext } from '../call-context';
import { PRODUCT } from '../product';
import { HelperError } from '../errors';
import { tryLock } from '../fs/lock';
import { poll } from '../fs/poll';
import { waitForChange, type ChangeWaiter } from '../fs/wait-for-change';

// Waiters re-read the file on every change of the folder, and at least this often (backing off
// to MAX_POLL_MS, jittered so 50 processes do not poll in lock step).
const POLL_MS = 20;
const MAX_POLL_MS = 250;

/** What to do in each state of the lock; each hook's value ends the wait. */
interface LockOrWaitOptions<T> {
  readonly context: Pick<CallContext, 'logger' | 'signal' | 'progress'>;
  /** The cache folder, which holds the lock. */
  readonly dir: string;
  /** The scope's cache file; its lock is `<file>.lock`. */
  readonly file: string;
  /** How long a lock whose holder stopped refreshing it is honoured. */
  readonly staleMs: number;
  /** Creates the cache folder (the token store's, which judges it: src/fs/private-folder.ts). */
  readonly ensureDir: () => void;
  /** Runs holding the lock. */
  readonly held: () => Promise<T>;
  /** Runs when locking is impossible here (a read-only folder, say). */
  readonly unavailable: (reason: string) => Promise<T>;
  /** While another process holds the lock, before each wait: an answer to give meanwhile. */
  readonly busy: () => T | undefined;
  /** After each wait: the answer the holder left, if it did. */
  readonly woken: () => Promise<T | undefined>;
}

/** Polls until a hook answers, or the call is aborted (a TIMEOUT error). */
export async function lockOrWait<T>(options: LockOrWaitOptions<T>): Promise<T> {
  const { dir, file } = options;
  const { logger, signal, progress } = options.context;
  let waiter: ChangeWaiter | undefined;
  try {
    const polled = await poll<T>({
      signal,
      attempt: async () => {
        const lock = await tryLock({
          file,
          staleMs: options.staleMs,
          onCompromised: (reason) => logger.debug(`token cache lock ${file}.lock lost: ${reason}`),
          ensureDir: options.ensureDir,
        });
        if (lock.state === 'held') {
          try {
            return await options.held();
          } finally {
            await lock.release();
          }
        }
        if (lock.state === 'unavailable') return await options.unavailable(lock.reason);
        const meanwhile = options.busy();
        if (meanwhile === undefined) {
          progress.step = `waiting for another ${PRODUCT} process to fetch the token (lock ${file}.lock)`;
        }
        return meanwhile;
      },
      // Woken by the holder's rename; the timer only covers lost events and stale-lock takeover.
      pause: (round) => Math.min(MAX_POLL_MS, POLL_MS * 1.5 ** round) * (1 + Math.random() / 2),
      wait: async (ms) => {
        waiter ??= waitForChange(dir, signal);
        await waiter.next(ms);
        return options.woken();
      },
    });
    if ('value' in polled) return polled.value;
    throw new HelperError(
      'TIMEOUT',
      `timed out waiting for another process holding the token cache lock ${file}.lock`,
    );
  } finally {
    waiter?.close();
  }
}
