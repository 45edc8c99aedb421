/**
 * The token cache in front of the AWS API: a fresh entry answers with one small file read (no
 * network, no credentials, no SDK); otherwise one process per scope fetches (lock-or-wait.ts) and
 * everyone answers from what it wrote, or from a stale token where may-serve-stale.ts allows.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { EcrToken, TokenSource } from '../aws/token';
import type { CallContext } from '../call-context';
import { errorCode } from '../error-code';
import { entryFor, tokenOf, type CacheEntry, type CacheScope } from './cache-entry';
import {
  credentialIdentity,
  entryFileName,
  routeIdentity,
  scopeFor,
  secretScopeFor,
} from './cache-identity';
import { freshness, isLive, staleFrom } from './freshness';
import { mayServeStale } from './may-serve-stale';
import { createTokenStore } from './token-store';

/** Everything the cache needs; the call's context, the clock and the wrapped source are passed in. */
interface CachedTokenSourceOptions {
  readonly context: CallContext;
  readonly dir: string;
  /** Where tokens come from on a miss (the AWS API). */
  readonly source: TokenSource;
  readonly home: string;
  readonly now: () => number;
  /** The helper's bound on one call; sizes the stale-lock takeover. */
  readonly timeoutMs: number;
  /** Uniform random numbers in [0, 1) (default Math.random): each entry's refresh point. */
  readonly random?: () => number;
}

/** One cached answer to obtain: for which host, and how to fetch it on a miss. */
interface Job {
  readonly host: string;
  /** `hasFallback`: a stale entry will answer if this fails (the fetch then need not wait). */
  readonly fetch: (hasFallback: boolean) => Promise<EcrToken>;
}

/** Wraps `source` with the shared on-disk cache. */
export function createCachedTokenSource(options: CachedTokenSourceOptions): TokenSource {
  const { now } = options;
  const { env, logger } = options.context;
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
    (identity ??= credentialIdentity({ env, home: options.home, stamp: fileStamp }));

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
    const { timeoutMs, context } = options;
    const debug = (line: string): void => logger.debug(line);
    // The lock and its polling are loaded only when needed: a plain hit never takes the lock.
    const { recordHost } = await import('./record-host');
    await recordHost({
      store,
      scope: entry,
      host,
      timeoutMs,
      signal: context.signal,
      random,
      debug,
    });
  };

  const fetchAndSave = async (
    job: Job,
    scope: CacheScope,
    previous: CacheEntry | undefined,
  ): Promise<EcrToken> => {
    const fetchedAt = now();
    let token: EcrToken;
    try {
      token = await job.fetch(previous !== undefined && freshness(previous, now()) === 'stale');
    } catch (error) {
      if (mayServeStale(previous, now(), { busy: false, error })) {
        logger.info(
          `refreshing the cached token failed, using it until it expires: ${message(error)}`,
        );
        return served(previous);
      }
      throw error;
    }
    const hosts = [...(previous?.hosts ?? []), job.host];
    const entry = entryFor({ scope, hosts, token, fetchedAt, jitter: random() });
    await save(entry);
    store.prune(now());
    return { ...token, refreshAt: staleFrom(entry) };
  };

  const refresh = async (job: Job, scope: CacheScope, seen?: CacheEntry): Promise<EcrToken> => {
    const [{ lockOrWait }, { staleMsFor }] = await Promise.all([
      import('./lock-or-wait'),
      import('../fs/lock'),
    ]);
    let entry = seen;
    const answerFresh = async (
      current: CacheEntry | undefined,
      held = false,
    ): Promise<EcrToken | undefined> => {
      if (!current || freshness(current, now()) !== 'fresh') return undefined;
      await remember(current, job.host, held);
      return served(current);
    };
    return lockOrWait({
      context: options.context,
      dir: options.dir,
      file: join(options.dir, entryFileName(scope)),
      staleMs: staleMsFor(options.timeoutMs),
      ensureDir: () => store.ensureDir(),
      held: async () => {
        // Someone may have refreshed between our read and taking the lock.
        const current = store.read(scope);
        return (await answerFresh(current, true)) ?? fetchAndSave(job, scope, current ?? entry);
      },
      unavailable: (reason) => {
        warn(`cannot lock the token cache in ${options.dir} (${reason})`);
        return fetchAndSave(job, scope, entry);
      },
      // Another process is fetching: a still-valid token may be served meanwhile.
      busy: () => (mayServeStale(entry, now(), { busy: true }) ? served(entry) : undefined),
      woken: () => {
        entry = store.read(scope) ?? entry;
        return answerFresh(entry);
      },
    });
  };

  /** A fresh cached answer for the scope, else one fetched (or a stale one where allowed). */
  const cached = async (job: Job, scope: CacheScope): Promise<EcrToken> => {
    const entry = store.read(scope);
    if (entry && freshness(entry, now()) === 'fresh') {
      logger.debug(`token cache hit for ${job.host}`);
      await remember(entry, job.host);
      return served(entry);
    }
    logger.debug(`token cache ${entry ? 'refresh' : 'miss'} for ${job.host}`);
    return refresh(job, scope, entry);
  };

  return {
    getToken(registry, identity = {}) {
      const scope = scopeFor(registry, routeIdentity(currentIdentity(), identity));
      return cached(
        {
          host: registry.host,
          fetch: (hasFallback) => options.source.getToken(registry, identity, { hasFallback }),
        },
        scope,
      );
    },
    getSecret(request) {
      // cacheSeconds 0: the secret is read on every call, and never written to disk.
      if (request.cacheSeconds === 0) return options.source.getSecret(request);
      return cached(
        { host: request.host, fetch: () => options.source.getSecret(request) },
        secretScopeFor(request, currentIdentity(), env),
      );
    },
    async listKnown(identities = [{}]) {
      const entries = store.list();
      // No entries (a new machine, caching off): no identity to compute (two stats and hashes).
      if (entries.length === 0) return {};
      const base = currentIdentity();
      const wanted = new Set(identities.map((identity) => routeIdentity(base, identity)));
      const at = now();
      const known: Record<string, string> = {};
      for (const entry of entries) {
        if (entry.service === 'secrets-manager') continue;
        if (!wanted.has(entry.identity) || !isLive(entry, at)) continue;
        for (const host of entry.hosts) known[host] = entry.username;
      }
      return known;
    },
  };
}

/** An entry's token with its refresh point (the kubelet is told not to keep it longer). */
function served(entry: CacheEntry): EcrToken {
  return { ...tokenOf(entry), refreshAt: staleFrom(entry) };
}

/** A file's change marker for the identity: an edited AWS config file is a new identity. */
export function fileStamp(path: string): string {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    return stat ? `${stat.mtimeMs}:${stat.size}` : '';
  } catch {
    return '?';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
