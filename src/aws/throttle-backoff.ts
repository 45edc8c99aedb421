/**
 * When to try GetAuthorizationToken again after a throttled answer. Pure: the time left and a
 * random number are passed in. Why this shape, and what it gives a fleet: docs/fleets.md.
 *
 * ECR throttles per account and region with a token bucket (200 calls, refilled at 20 a second).
 * Machines that start together empty it, and then only the refill serves them: the throttled ones
 * share it best when each picks its next try at a random moment of all the time it has left
 * (their tries then arrive about as fast as the refill, whatever the fleet's size), and a machine
 * throttled a second time tries once more only while plenty of time is left (late tries of a
 * crowd bigger than the refill mostly add to the crowd).
 */

/** Kept back from the bound for the last try itself: one request and its answer. */
export const LAST_TRY_MS = 400;
/** A wait shorter than this is no reason to try again. */
const MIN_WINDOW_MS = 100;
/** After a second throttled answer, another try only with at least this much time left. */
export const CROWD_WINDOW_MS = 5000;
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
  if (window < (options.throttled >= 2 ? CROWD_WINDOW_MS : MIN_WINDOW_MS)) return undefined;
  return Math.floor(options.random() * window);
}
