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
import { EXPIRY_MARGIN_MS, type CacheEntry } from './cache-entry';

/** Serve-as-is, serve-but-refresh, or unusable. */
type Freshness = 'fresh' | 'stale' | 'expired';

/** A fetch time this far in the future means the clock went back; refresh rather than trust it. */
const CLOCK_SKEW_MS = 5 * 60_000;

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
