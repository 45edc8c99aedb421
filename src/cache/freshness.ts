/**
 * When a cached token may be handed out. Pure: a function of the entry and the clock.
 *
 * ECR tokens live 12 hours. We refresh at half life, so a token handed to docker always has hours
 * left (a long `docker push` keeps working), and a past-half-life token still serves while another
 * process refreshes it or when a refresh fails, but never once it is (nearly) expired.
 */
import type { CacheEntry } from './cache-entry';

/** Serve-as-is, serve-but-refresh, or unusable. */
export type Freshness = 'fresh' | 'stale' | 'expired';

/** A token this close to its end is treated as expired: docker must still get to use it. */
const EXPIRY_MARGIN_MS = 60_000;
/** A fetch time this far in the future means the clock went back; refresh rather than trust it. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Classifies an entry at time `now` (epoch milliseconds). */
export function freshness(entry: CacheEntry, now: number): Freshness {
  if (now >= entry.expiresAt - EXPIRY_MARGIN_MS) return 'expired';
  const halfLife = entry.fetchedAt + (entry.expiresAt - entry.fetchedAt) / 2;
  if (now >= halfLife || now < entry.fetchedAt - CLOCK_SKEW_MS) return 'stale';
  return 'fresh';
}

/** True while an entry may still be listed or handed out (fresh or stale). */
export function isLive(entry: CacheEntry, now: number): boolean {
  return freshness(entry, now) !== 'expired';
}
