/**
 * The token cache in front of the AWS API: a fresh entry answers with one small file read (no
 * network, no credentials, no SDK); otherwise one process per scope fetches under a lock while the
 * others wait for the file to change, and everyone answers from what it wrote.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenSource } from '../actions/token-source';
import type { EcrToken, Progress } from '../aws/token';
import { PRODUCT, type Env } from '../config/load-config';
import { HelperError, isHelperError, type ErrorCode } from '../errors';
import type { Logger } from '../log';
import type { PrivateRegistry, PublicRegistry } from '../registry/parse-registry';
import { entryFor, tokenOf, type CacheEntry, type CacheScope } from './cache-entry';
import { credentialIdentity, entryFileName, scopeFor } from './cache-identity';
import { freshness, isLive } from './freshness';
import { staleMsFor, tryLock } from './key-lock';
import { recordHost } from './record-host';
import { createTokenStore, errorCode } from './token-store';
import { waitForChange, type ChangeWaiter } from './wait-for-change';

/** Everything the cache needs; the clock and the wrapped source are passed in. */
export interface CachedTokenSourceOptions {
  readonly dir: string;
  /** Where tokens come from on a miss (the AWS API). */
  readonly source: TokenSource;
  readonly env: Env;
  readonly home: string;
  readonly logger: Logger;
  readonly now: () => number;
  readonly signal: AbortSignal;
  readonly progress: Progress;
  /** The helper's bound on one call; sizes the stale-lock takeover. */
  readonly timeoutMs: number;
  /** Uniform random numbers in [0, 1) (default Math.random): each entry's refresh point. */
  readonly random?: () => number;
}

type Registry = PrivateRegistry | PublicRegistry;

// Waiters re-read the file on every change of the folder, and at least this often (backing off
// to MAX_POLL_MS, jittered so 50 processes do not poll in lock step).
const POLL_MS = 20;
const MAX_POLL_MS = 250;
/** Refresh failures that may fall back to a still-valid token. */
const TRANSIENT: readonly ErrorCode[] = ['THROTTLED', 'NETWORK', 'AWS_API'];

/** Wraps `source` with the shared on-disk cache. */
export function createCachedTokenSource(options: CachedTokenSourceOptions): TokenSource {
  const { logger, now } = options;
  // A call prints at most one cache warning: a broken cache must not flood docker's output.
  let warned = false;
  const warn = (message: string): void => {
    if (warned) return logger.debug(message);
    warned = true;
    logger.warn(`${message}. Tokens still work; fix or delete the cache folder to silence this.`);
  };
  const store = createTokenStore({ dir: options.dir, home: options.home, warn });
  const random = options.random ?? Math.random;
  let identity: string | undefined;
  const currentIdentity = (): string =>
    (identity ??= credentialIdentity({ env: options.env, home: options.home, stamp: fileStamp }));

  const save = async (entry: CacheEntry): Promise<void> => {
    try {
      await store.write(entry);
    } catch (error) {
      warn(`cannot write the token cache in ${options.dir} (${errorCode(error)})`);
    }
  };
  /**
   * Records a host the token now serves too (for `list`): a write only the first time, under the
   * lock (taken here unless `held`), so concurrent hits never drop each other's hosts.
   */
  const remember = async (entry: CacheEntry, host: string, held = false): Promise<void> => {
    if (entry.hosts.includes(host)) return;
    if (held) return save({ ...entry, hosts: [...entry.hosts, host] });
    const { timeoutMs, signal } = options;
    const debug = (line: string): void => logger.debug(line);
    await recordHost({ store, scope: entry, host, timeoutMs, signal, random, debug });
  };

  const fetchAndSave = async (
    registry: Registry,
    scope: CacheScope,
    previous: CacheEntry | undefined,
  ): Promise<EcrToken> => {
    const fetchedAt = now();
    let token: EcrToken;
    try {
      token = await options.source.getToken(registry);
    } catch (error) {
      // Past half life the old token still has hours left: a transient failure of the early
      // refresh (throttling, a network blip, a 5xx) should not fail the pull. Not for a timeout
      // (the call's bound is spent) nor for denied or missing credentials: those must surface.
      const transient = TRANSIENT.some((code) => isHelperError(error, code));
      if (previous && transient && freshness(previous, now()) === 'stale') {
        logger.info(
          `refreshing the cached token failed, using it until it expires: ${message(error)}`,
        );
        return tokenOf(previous);
      }
      throw error;
    }
    const hosts = [...(previous?.hosts ?? []), registry.host];
    await save(entryFor({ scope, hosts, token, fetchedAt, jitter: random() }));
    store.prune(now());
    return token;
  };

  const refresh = async (
    registry: Registry,
    scope: CacheScope,
    seen?: CacheEntry,
  ): Promise<EcrToken> => {
    const file = join(options.dir, entryFileName(scope));
    const staleMs = staleMsFor(options.timeoutMs);
    let entry = seen;
    let waiter: ChangeWaiter | undefined;
    let polls = 0;
    try {
      return await lockOrWait();
    } finally {
      waiter?.close();
    }

    async function lockOrWait(): Promise<EcrToken> {
      for (;;) {
        if (options.signal.aborted) throw waitTimeout(file);
        const attempt = await tryLock({
          file,
          staleMs,
          onCompromised: (reason) => logger.debug(`token cache lock ${file}.lock lost: ${reason}`),
          ensureDir: () => store.ensureDir(),
        });
        if (attempt.state === 'held') {
          try {
            // Someone may have refreshed between our read and taking the lock.
            const current = store.read(scope);
            if (current && freshness(current, now()) === 'fresh') {
              await remember(current, registry.host, true);
              return tokenOf(current);
            }
            return await fetchAndSave(registry, scope, current ?? entry);
          } finally {
            await attempt.release();
          }
        }
        if (attempt.state === 'unavailable') {
          warn(`cannot lock the token cache in ${options.dir} (${attempt.reason})`);
          return fetchAndSave(registry, scope, entry);
        }
        // Busy: another process is fetching. A still-valid token may be served meanwhile.
        if (entry && freshness(entry, now()) === 'stale') return tokenOf(entry);
        options.progress.step = `waiting for another ${PRODUCT} process to fetch the token (lock ${file}.lock)`;
        waiter ??= waitForChange(options.dir, options.signal);
        // Woken by the holder's rename; the timer only covers lost events and stale-lock takeover.
        await waiter.next(
          Math.min(MAX_POLL_MS, POLL_MS * 1.5 ** polls++) * (1 + Math.random() / 2),
        );
        entry = store.read(scope) ?? entry;
        if (entry && freshness(entry, now()) === 'fresh') {
          await remember(entry, registry.host);
          return tokenOf(entry);
        }
      }
    }
  };

  return {
    async getToken(registry) {
      const scope = scopeFor(registry, currentIdentity());
      const entry = store.read(scope);
      if (entry && freshness(entry, now()) === 'fresh') {
        logger.debug(`token cache hit for ${registry.host}`);
        await remember(entry, registry.host);
        return tokenOf(entry);
      }
      logger.debug(`token cache ${entry ? 'refresh' : 'miss'} for ${registry.host}`);
      return refresh(registry, scope, entry);
    },
    async listKnown() {
      const identity = currentIdentity();
      const at = now();
      const known: Record<string, string> = {};
      for (const entry of store.list()) {
        if (entry.identity !== identity || !isLive(entry, at)) continue;
        for (const host of entry.hosts) known[host] = entry.username;
      }
      return known;
    },
  };
}

/** A file's change marker for the identity: an edited AWS config file is a new identity. */
function fileStamp(path: string): string {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat ? `${stat.mtimeMs}:${stat.size}` : '';
  } catch {
    return '?';
  }
}

function waitTimeout(file: string): HelperError {
  return new HelperError(
    'TIMEOUT',
    `timed out waiting for another process holding the token cache lock ${file}.lock`,
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
