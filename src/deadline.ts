/** The bound on one call: docker clients wait forever for a helper, so every path must end. */
import type { CallContext, Progress } from './call-context';
import { HelperError } from './errors';

/** How long some work may run: its deadline (epoch ms), and the signal that ends it early. */
export type Bound = Pick<CallContext, 'deadline' | 'signal'>;

/**
 * Runs `work` within a bound: its signal aborts once `deadline` (epoch ms; default: `timeoutMs`
 * from now) passes or the caller's `signal` aborts. When the deadline passes first, the call
 * rejects with a TIMEOUT error naming what was pending (`timeoutMs` is the bound it names), or
 * answers `expired(text)` where the caller words a timeout itself (doctor's checks).
 */
export async function withDeadline<T>(options: {
  timeoutMs: number;
  deadline?: number;
  progress: Progress;
  /** The caller's own abort (a library caller's, or the whole call's around one doctor check). */
  signal?: AbortSignal | undefined;
  work: (bound: Bound) => Promise<T>;
  /** What to answer instead of rejecting: `text` is `timed out after <s> s while <step>`. */
  expired?: (text: string) => T;
}): Promise<T> {
  const deadline = options.deadline ?? Date.now() + options.timeoutMs;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  if (options.signal?.aborted) abort();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<T>((resolve, reject) => {
    timer = setTimeout(
      () => {
        const { step } = options.progress;
        const text = `timed out after ${options.timeoutMs / 1000} s while ${step}`;
        controller.abort();
        if (options.expired) resolve(options.expired(text));
        else reject(new HelperError('TIMEOUT', `${text}. ${timeoutHint(step)}`));
      },
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([options.work({ deadline, signal: controller.signal }), expired]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}

/** Steps that wait on an endpoint (AWS credentials, an AWS API): only then is it to blame. */
const NETWORK_STEP = /^(getting AWS credentials|waiting for AWS credentials|calling )/;

/** What to do about a timeout in `step`: only a network wait blames an endpoint. */
function timeoutHint(step: string): string {
  // Waiting on our own caller is not a network problem: say what the caller must do.
  if (step.includes('stdin')) return 'The caller must write its input and close stdin.';
  if (NETWORK_STEP.test(step)) return 'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).';
  // A lock held by another process, a slow disk, configure: nothing on the network to check.
  return 'Raise ECR_TS_TIMEOUT (seconds) if it needs longer.';
}

/**
 * Kept back from the bound for what follows a timeout (the answer, the log line, exit): the
 * whole process must end within ECR_TS_TIMEOUT, not just the work (measured: 10.05 s at 10 s before; start-up before main() counts too).
 */
function exitMarginMs(timeoutMs: number): number {
  return Math.min(500, Math.floor(timeoutMs / 10));
}

/**
 * The epoch ms by which the work of a call started at `startedAt` must be done; `endBy`: when the
 * whole process must be over sooner (its caller stops it then).
 */
export function workDeadline(startedAt: number, timeoutMs: number, endBy?: number | null): number {
  return Math.min(startedAt + timeoutMs, endBy ?? Infinity) - exitMarginMs(timeoutMs);
}

/** Attempts and connect timeout of the SDK's API calls; each attempt's own limit is attemptTimeoutMs(). */
interface AttemptBudget {
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
}

/** No attempt is cut shorter than this: below it even a loopback TLS handshake may not finish. */
const MIN_ATTEMPT_MS = 200;
/** A budget smaller than two of these is one attempt: halving it would leave neither half enough. */
const MIN_SPLIT_MS = 1000;
/** More than this for a first attempt only delays the retry that would succeed. */
const MAX_FIRST_ATTEMPT_MS = 10_000;

/** Three attempts (throttling and 5xx answers come fast); a TCP connect gets a third of the time. */
export function attemptBudget(remainingMs: number, maxAttempts = 3): AttemptBudget {
  return {
    maxAttempts,
    connectionTimeoutMs: Math.min(
      3000,
      Math.max(MIN_ATTEMPT_MS, Math.floor(remainingMs / maxAttempts)),
    ),
  };
}

/**
 * The limit of one attempt, given the time left when it starts. An attempt is cut only where a
 * retry with as much time could still finish: the first gets half of the time left (at most
 * 10 s); a later one, or a first one with a small budget, gets all of it. Cutting the second too
 * would leave the third less time than the one that already failed to finish, so a slow but
 * working API (3.5 s per answer) succeeds at the default 10 s bound, and a hung one still gets
 * its retry on a fresh connection.
 */
export function attemptTimeoutMs(options: {
  leftMs: number;
  attempt: number;
  maxAttempts: number;
}): number {
  const left = Math.max(1, Math.floor(options.leftMs));
  if (options.attempt > 1 || options.attempt >= options.maxAttempts || left < 2 * MIN_SPLIT_MS) {
    return left;
  }
  return Math.min(MAX_FIRST_ATTEMPT_MS, Math.floor(left / 2));
}

/** Timeout and retries for the credential chain's HTTP sources (container endpoint, IMDS). */
interface CredentialBudget {
  /** Per request, and the pause between the container provider's retries. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/**
 * The container provider makes up to 1 + maxRetries requests with a pause of `timeout` between
 * them, then the SDK's second container provider tries as often again: about eight timeouts in
 * all, so a refused or failing endpoint reports its own error well before the overall bound.
 */
export function credentialBudget(remainingMs: number): CredentialBudget {
  return {
    timeoutMs: Math.min(1000, Math.max(100, Math.floor(remainingMs / 8))),
    maxRetries: 2,
  };
}
