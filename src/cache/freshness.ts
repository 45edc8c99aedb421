/**
 * When a cached token may be handed out, and for how long a fresh one is kept. Pure: functions of
 * the entry, the clock and (for the refresh point) a random number passed in.
 *
 * ECR tokens live 12 hours. We refresh between a quarter and half of the token's life, at a point
 * each entry draws at random when it is written: a token handed to docker always has hours left
 * (a long `docker push` keeps working), and a fleet of tasks started together does not call
 * GetAuthorizationToken again in the same second. A past-refresh-point token still serves while
 * another process refreshes it or when a refresh fails, but never once it is (nearly) expired.
 */
import type { CacheEntry } from './cache-entry';

/** Serve-as-is, serve-but-refresh, or unusable. */
export type Freshness = 'fresh' | 'stale' | 'expired';

/** A token this close to its end is treated as expired: docker must still get to use it. */
export const EXPIRY_MARGIN_MS = 60_000;
/** A fetch time this far in the future means the clock went back; refresh rather than trust it. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** ECR's token lifetime; no entry is trusted for longer, whatever its file says. */
export const MAX_LIFETIME_MS = 12 * 3600_000;
/** How much of a token's life the random refresh point may move earlier than half life. */
const JITTER_SHARE = 1 / 4;

/**
 * How long, on the local clock, a token fetched now stays valid, from the lifetime the server's
 * expiry gives on the local clock. At most ECR's 12 hours. A token that looks (nearly) expired on
 * arrival was minted a moment ago, so the local clock is fast, by 12 hours or more: it gets ECR's
 * 12 hours, instead of an entry that could never be served (audit 2026-12, finding 18).
 */
export function localLifetime(serverLifetimeMs: number): number {
  if (!(serverLifetimeMs > EXPIRY_MARGIN_MS)) return MAX_LIFETIME_MS;
  return Math.min(serverLifetimeMs, MAX_LIFETIME_MS);
}

/**
 * When an entry fetched at `fetchedAt` with `lifetimeMs` should be refreshed: half life for
 * `jitter` 0, a quarter of its life for `jitter` 1 (a uniform random number in [0, 1] spreads a
 * fleet's refreshes over a quarter of the lifetime: 3 hours for ECR's tokens).
 */
export function refreshPoint(fetchedAt: number, lifetimeMs: number, jitter: number): number {
  const share = Math.min(1, Math.max(0, jitter)) * JITTER_SHARE;
  return fetchedAt + Math.round(lifetimeMs * (1 / 2 - share));
}

/** When an entry turns stale: its refresh point, never later than half life, whatever a file says. */
export function staleFrom(entry: CacheEntry): number {
  const halfLife = entry.fetchedAt + (entry.expiresAt - entry.fetchedAt) / 2;
  return Math.min(entry.refreshAt ?? halfLife, halfLife);
}

/** Classifies an entry at time `now` (epoch milliseconds). */
export function freshness(entry: CacheEntry, now: number): Freshness {
  // A short-lived entry (a Secrets Manager login cached for seconds) keeps most of its life.
  const margin = Math.min(EXPIRY_MARGIN_MS, (entry.expiresAt - entry.fetchedAt) / 4);
  if (now >= entry.expiresAt - margin) return 'expired';
  if (now >= staleFrom(entry) || now < entry.fetchedAt - CLOCK_SKEW_MS) return 'stale';
  return 'fresh';
}

/** True while an entry may still be listed or handed out (fresh or stale). */
export function isLive(entry: CacheEntry, now: number): boolean {
  return freshness(entry, now) !== 'expired';
}
