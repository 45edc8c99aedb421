/**
 * What the token cache holds for a registry, read without changing anything (for `doctor`): no
 * lock, no write, no prune, and a broken file is reported rather than rebuilt.
 */
import type { Env } from '../env';
import type { EcrRegistry } from '../registry/parse-registry';
import { credentialIdentity, routeIdentity, scopeFor } from './cache-identity';
import { fileStamp } from './cached-token-source';
import { freshness, staleFrom } from './freshness';
import { createTokenStore } from './token-store';
import type { AwsIdentity } from '../aws/aws-identity';

/** The cache's answer for one registry, the current credential identity and the route's. */
export type CacheState =
  | { readonly state: 'disabled' }
  | { readonly state: 'none'; readonly problem?: string }
  | {
      readonly state: 'fresh' | 'stale' | 'expired';
      /** Epoch milliseconds: when it turns stale (fresh) or stops working (stale, expired). */
      readonly until: number;
    };

/** Reads the state of the registry's cache entry; `dir` null = caching disabled. */
export function readCacheState(options: {
  readonly dir: string | null;
  readonly env: Env;
  readonly home: string;
  readonly registry: EcrRegistry;
  /** The route's identity: its tokens are cached apart from the default route's. */
  readonly identity: AwsIdentity;
  readonly now: number;
}): CacheState {
  if (options.dir === null) return { state: 'disabled' };
  let problem: string | undefined;
  const store = createTokenStore({ dir: options.dir, warn: (text) => (problem ??= text) });
  const base = credentialIdentity({ env: options.env, home: options.home, stamp: fileStamp });
  const identity = routeIdentity(base, options.identity);
  const entry = store.read(scopeFor(options.registry, identity));
  if (!entry) return problem ? { state: 'none', problem } : { state: 'none' };
  const state = freshness(entry, options.now);
  return { state, until: state === 'fresh' ? staleFrom(entry) : entry.expiresAt };
}
