/**
 * What `configure` and `configure --kubelet` share when they edit a config file in place: the
 * lock beside it (src/fs/lock.ts, polled with src/fs/poll.ts) so that two runs at once both land,
 * the file a symlinked config points to, and the names of the backup of what was there.
 */
import { realpathSync } from 'node:fs';
import { HelperError } from '../errors';
import { tryLock } from '../fs/lock';
import { poll } from '../fs/poll';

/** A lock is abandoned once its holder has not refreshed it for this long. */
const LOCK_STALE_MS = 10_000;
/** Tries at the lock, the pauses growing from 20 to 100 ms: about 6 s in all. */
const LOCK_TRIES = 61;

/**
 * Takes the lock beside `file` (its folder must exist), waiting while another configure run
 * holds it; recovers a lock its holder left behind. Returns its release.
 */
export async function lockConfigFile(file: string): Promise<() => Promise<void>> {
  const polled = await poll({
    attempts: LOCK_TRIES,
    attempt: async () => {
      const attempt = await tryLock({
        file,
        staleMs: LOCK_STALE_MS,
        // Losing the lock costs nothing: the write itself checks that the file did not change.
        onCompromised: () => undefined,
        ensureDir: () => undefined, // the caller's
      });
      return attempt.state === 'busy' ? undefined : attempt;
    },
    pause: (round) => Math.min(100, 20 * 2 ** round * (1 + Math.random())),
  });
  if (!('value' in polled)) throw cannotLock(file, 'ELOCKED');
  if (polled.value.state === 'unavailable') throw cannotLock(file, polled.value.reason);
  return polled.value.release;
}

/** The file a symlinked config points to: it is replaced there, and the link stays. */
export function resolveLink(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** Backup names no earlier backup used: `config.json.<UTC stamp>[-n].bak`. */
export function backupNames(file: string, now: Date): string[] {
  const stamp = backupStamp(now);
  return Array.from({ length: 100 }, (_, n) => `${file}.${stamp}${n === 0 ? '' : `-${n}`}.bak`);
}

/** A backup's time stamp: 20261129T010203Z. */
export function backupStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function cannotLock(file: string, code: string): HelperError {
  return new HelperError('CONFIG', `cannot lock ${file} (${code})`);
}
