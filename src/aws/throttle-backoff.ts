/**
 * When to try GetAuthorizationToken again after a throttled answer. Pure: the time left and a
 * random number are passed in. Why this shape, and what it gives a fleet: docs/fleets.md.
 *
 * ECR throttles per account and region with a token bucket (200 calls, refilled at 20 a second:
 * ten seconds of refill fill it). Machines that start together empty it, and then only the refill
 * serves them. A throttled machine has just found the bucket empty, so it waits a little before
 * anything else, then picks its next try at a random moment of all the time it has left: the
 * fleet's tries then arrive about as fast as the refill, whatever its size. A machine throttled a
 * second time tries once more only while plenty of time is left, and late in it, where the credits
 * that built up meanwhile are waiting (earlier, it would mostly add to the crowd).
 */

/** Kept back from the bound for the last try itself: one request and its answer. */
export const LAST_TRY_MS = 400;
/** A wait shorter than this is no reason to try again. */
const MIN_WINDOW_MS = 100;
/**
 * The least wait after a first throttled answer. Absolute, not a share of the bound: with a long
 * bound, first retries must still come before the bucket has filled up again unused.
 */
export const FIRST_PAUSE_MS = 2000;
/** After a second throttled answer, another try only with at least this much time left... */
export const CROWD_WINDOW_MS = 5000;
/** ...and only in the last part of it: from this share of the time left on. */
const CROWD_FROM = 0.8;
/** Never more tries than this in one call, however the random draws fall. */
export const MAX_TRIES = 6;

/**
 * The pause before the next try, or undefined when the time left is too short for one.
 * `throttled`: the throttled answers so far; `leftMs`: the time left before the bound (the
 * budget: the call's deadline, whatever the caller chose it to be); `random` in [0, 1).
 */
export function throttleRetryDelayMs(options: {
  readonly throttled: number;
  readonly leftMs: number;
  readonly random: () => number;
}): number | undefined {
  if (options.throttled >= MAX_TRIES) return undefined;
  const window = options.leftMs - LAST_TRY_MS;
  const crowd = options.throttled >= 2;
  if (window < (crowd ? CROWD_WINDOW_MS : MIN_WINDOW_MS)) return undefined;
  // Less than the first pause left: one more try, at the end of the time there is.
  const from = crowd ? window * CROWD_FROM : Math.min(FIRST_PAUSE_MS, window);
  return Math.floor(from + options.random() * (window - from));
}
