/**
 * The one loop for waiting on another process (a lock it holds, a file it will write): try, and
 * while the answer is "not yet", pause and try again, within a number of tries, a deadline or an
 * abort signal. The pause is the caller's: jittered and growing, so 50 waiters on 2 cores do not
 * poll in lock step and starve the one process doing the work.
 */

/** How to poll; give `attempts`, `deadline` or `signal` (or several): nothing else ends it. */
interface PollOptions<T> {
  /** One try: a value ends the polling, undefined means "not yet". */
  readonly attempt: () => Promise<T | undefined>;
  /** The pause after try `round` (0 for the first), in ms; `msLeft` is the time to the deadline. */
  readonly pause: (round: number, msLeft: number) => number;
  /** Sleeps `ms` (default: a timer); it may come back with the value itself (it saw the answer). */
  readonly wait?: (ms: number) => Promise<T | undefined>;
  /** At most this many tries. */
  readonly attempts?: number;
  /** No pause once this epoch ms has passed: the last try is the one before it. */
  readonly deadline?: number;
  readonly now?: () => number;
  /** Checked before each try: once aborted, no more tries. */
  readonly signal?: AbortSignal;
}

/** The value a try (or a wait) came back with, or why polling stopped without one. */
type Polled<T> =
  { readonly value: T } | { readonly stopped: 'aborted' | 'out of tries' | 'past the deadline' };

/** Tries until a value comes back or a limit of `options` is reached. */
export async function poll<T>(options: PollOptions<T>): Promise<Polled<T>> {
  const now = options.now ?? Date.now;
  const wait = options.wait ?? sleep;
  for (let round = 0; ; round += 1) {
    if (options.signal?.aborted) return { stopped: 'aborted' };
    const value = await options.attempt();
    if (value !== undefined) return { value };
    if (round + 1 >= (options.attempts ?? Infinity)) return { stopped: 'out of tries' };
    const msLeft = options.deadline === undefined ? Infinity : options.deadline - now();
    if (msLeft <= 0) return { stopped: 'past the deadline' };
    const seen = await wait(options.pause(round, msLeft));
    if (seen !== undefined) return { value: seen };
  }
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}
