/**
 * When a past-half-life ("stale") token may be handed out instead of a new one. Pure.
 *
 * A stale token still has hours left. It may be served while another process refreshes it, and
 * when our own refresh failed transiently (throttling, a network blip, a 5xx). Not after a timeout
 * (the call's bound is spent) nor for denied or missing credentials: those must surface.
 */
import { isHelperError, type ErrorCode } from '../errors';
import type { CacheEntry } from './cache-entry';
import { freshness } from './freshness';

/** Refresh failures that may fall back to a still-valid token. */
const TRANSIENT: readonly ErrorCode[] = ['THROTTLED', 'NETWORK', 'AWS_API'];

/** Why there is no new token: another process holds the lock, or the refresh threw `error`. */
type RefreshSetback = { readonly busy: true } | { readonly busy: false; readonly error: unknown };

/** True when `entry` is stale (not fresh, not expired) at `now` and the setback allows it. */
export function mayServeStale(
  entry: CacheEntry | undefined,
  now: number,
  setback: RefreshSetback,
): entry is CacheEntry {
  if (!entry || freshness(entry, now) !== 'stale') return false;
  return setback.busy || TRANSIENT.some((code) => isHelperError(setback.error, code));
}
