/** The bound on one call: docker clients wait forever for a helper, so every path must end. */
import { HelperError } from './errors';
import type { Progress } from './call-context';

/** Runs `work`, or rejects with a TIMEOUT error naming what was pending once `timeoutMs` passes. */
export async function withDeadline<T>(options: {
  timeoutMs: number;
  progress: Progress;
  controller: AbortController;
  work: () => Promise<T>;
}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = options.timeoutMs / 1000;
      const { step } = options.progress;
      options.controller.abort();
      reject(
        new HelperError(
          'TIMEOUT',
          `timed out after ${seconds} s while ${step}. ${timeoutHint(step)}`,
        ),
      );
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([options.work(), expired]);
  } finally {
    clearTimeout(timer);
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

/** Per-attempt limits for the SDK's API calls, so that all attempts fit in the time left. */
export interface AttemptBudget {
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  /** Socket idle limit of one attempt (the handler must throw on it, not just warn). */
  readonly requestTimeoutMs: number;
}

/** No attempt gets less than this: below it even a loopback TLS handshake may not finish. */
const MIN_ATTEMPT_MS = 200;
/** More than this per attempt only delays the retry that would succeed. */
const MAX_ATTEMPT_MS = 10_000;

/**
 * Splits the time left among the SDK's attempts. A fifth (at most 1.5 s, the standard retry
 * strategy's throttling backoff for three attempts) is kept for backoff between them; with the
 * default 10 s bound each attempt gets about 2.8 s, which a healthy ECR answers in a tenth of.
 */
export function attemptBudget(remainingMs: number, maxAttempts = 3): AttemptBudget {
  const backoff = Math.min(1500, remainingMs / 5);
  const perAttempt = Math.floor((remainingMs - backoff) / maxAttempts);
  const requestTimeoutMs = Math.min(MAX_ATTEMPT_MS, Math.max(MIN_ATTEMPT_MS, perAttempt));
  return {
    maxAttempts,
    connectionTimeoutMs: Math.min(3000, requestTimeoutMs),
    requestTimeoutMs,
  };
}

/** Timeout and retries for the credential chain's HTTP sources (container endpoint, IMDS). */
export interface CredentialBudget {
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
