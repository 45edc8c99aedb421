/**
 * Calls until an answer is not throttled, pausing between tries as throttle-backoff.ts says, all
 * within the caller's deadline. Anything else that fails ends it at once: the SDK has already
 * retried what it retries (5xx answers, resets, timeouts), sized to the same deadline. Except a
 * timeout after throttled answers: the later tries come late in the bound, and one that cannot
 * finish in what is left failed because the throttling used the bound up, which is what to report.
 */
import { classifyError } from './classify-error';
import { throttleRetryDelayMs } from './throttle-backoff';

/** The tries of a throttled call that was waited out until its bound. */
export interface ThrottledTries {
  readonly attempts: number;
  readonly waitedMs: number;
}

/** The last answer was throttled and the time left holds no further try. */
export class ThrottledUntilBound extends Error {
  override readonly name = 'ThrottledUntilBound';

  constructor(
    /** The SDK's error of the last try: describe-error.ts words it. */
    readonly last: unknown,
    readonly tries: ThrottledTries,
  ) {
    super('throttled until the bound', { cause: last });
  }
}

/** What waitOutThrottling() needs; clock and randomness may be passed in (tests). */
interface WaitOutThrottlingOptions<T> {
  /** One call: a throttled answer must come back as the SDK's error, not be retried inside. */
  readonly call: () => Promise<T>;
  /** Epoch ms by which every try must be over: the budget (docs/fleets.md). */
  readonly deadline: number;
  /** Aborts a pause (the call's bound passed, or the library caller gave up). */
  readonly signal: AbortSignal;
  /** Hears each pause before it starts, in ms. */
  readonly onPause?: (ms: number) => void;
  readonly now?: () => number;
  readonly random?: () => number;
  /** Waits `ms`, or rejects when `signal` aborts (tests pass one that takes no real time). */
  readonly pause?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The call's answer; or its error (a ThrottledUntilBound when throttling outlasted the budget). */
export async function waitOutThrottling<T>(options: WaitOutThrottlingOptions<T>): Promise<T> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const wait = options.pause ?? pause;
  const started = now();
  let throttled = 0;
  let attempts = 0;
  let lastThrottled: unknown;
  for (;;) {
    try {
      return await options.call();
    } catch (error) {
      const { kind } = classifyError(error);
      if (kind === 'timeout' && lastThrottled !== undefined) {
        throw new ThrottledUntilBound(lastThrottled, {
          attempts: attempts + attemptsOf(error),
          waitedMs: now() - started,
        });
      }
      if (kind !== 'throttled') throw error;
      lastThrottled = error;
      throttled += 1;
      attempts += attemptsOf(error);
      const delay = throttleRetryDelayMs({
        throttled,
        leftMs: options.deadline - now(),
        random,
      });
      if (delay === undefined) {
        throw new ThrottledUntilBound(error, { attempts, waitedMs: now() - started });
      }
      options.onPause?.(delay);
      await wait(delay, options.signal);
    }
  }
}

/** The SDK counts the attempts of a call that failed (a 5xx may come before the throttling). */
function attemptsOf(error: unknown): number {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | null)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts >= 1 ? attempts : 1;
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
