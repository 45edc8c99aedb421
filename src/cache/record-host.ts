/**
 * Adds a registry host to a cached entry's `hosts` (what `list` prints) after a cache hit for a
 * host it did not name yet. Under the scope's lock, re-reading the file: concurrent hits for new
 * hosts each extend what the previous one wrote, where unlocked rewrites of what each had read
 * lose hosts (docs/token-cache.md).
 *
 * It is bookkeeping on a call that already has its token: a lock that stays busy past a short
 * budget, or a folder that cannot be written (a read-only cache), only skips it, said at debug
 * level. The host is recorded by a later call.
 */
import { join } from 'node:path';
import type { CacheScope } from './cache-entry';
import { entryFileName } from './cache-identity';
import { errorCode } from '../error-code';
import { staleMsFor, tryLock } from '../fs/lock';
import { poll } from '../fs/poll';
import type { TokenStore } from './token-store';

/** Pause between attempts while another process holds the lock (jittered). */
const PAUSE_MS = 20;

/** Records `host` for `scope`'s entry; never throws. */
export async function recordHost(options: {
  readonly store: Pick<TokenStore, 'dir' | 'read' | 'write' | 'ensureDir'>;
  readonly scope: CacheScope;
  readonly host: string;
  /** The call's bound: a quarter of it at most is spent waiting for the lock. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Uniform random numbers in [0, 1): jitter of the pauses. */
  readonly random: () => number;
  readonly debug: (message: string) => void;
}): Promise<void> {
  const { store, scope, host } = options;
  const skip = (why: string): void =>
    options.debug(`not recording ${host} for list this time: ${why}`);
  const polled = await poll({
    attempts: Math.max(1, Math.floor(options.timeoutMs / 4 / PAUSE_MS)),
    signal: options.signal,
    attempt: async () => {
      const attempt = await tryLock({
        file: join(store.dir, entryFileName(scope)),
        staleMs: staleMsFor(options.timeoutMs),
        onCompromised: (reason) => options.debug(`token cache lock lost: ${reason}`),
        ensureDir: () => store.ensureDir(),
      });
      return attempt.state === 'busy' ? undefined : attempt;
    },
    pause: () => PAUSE_MS * (0.5 + options.random()),
  });
  if (!('value' in polled)) {
    return skip(
      polled.stopped === 'aborted' ? 'the call is out of time' : 'the token cache lock stayed busy',
    );
  }
  const held = polled.value;
  if (held.state === 'unavailable') return skip(`cannot lock the token cache (${held.reason})`);
  try {
    const current = store.read(scope);
    if (!current || current.hosts.includes(host)) return;
    await store.write({ ...current, hosts: [...current.hosts, host] });
  } catch (error) {
    skip(`cannot write the token cache (${errorCode(error)})`);
  } finally {
    await held.release();
  }
}
