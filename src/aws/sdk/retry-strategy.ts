/** The SDK's standard retries, with throttling left to the caller. */
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryStrategyV2 } from '@smithy/types';

/**
 * The SDK's standard strategy (the same attempts and backoff for 5xx answers, resets and
 * timeouts), except that a throttled answer ends the call at once with the SDK's error: the
 * caller waits throttling out itself, over its whole bound (../wait-out-throttling.ts), where the
 * SDK would give up after a second or two.
 */
export function throttlingReturned(maxAttempts: number): RetryStrategyV2 {
  const standard = new StandardRetryStrategy(maxAttempts);
  // Every token this strategy sees is one the standard strategy issued.
  type Token = Awaited<ReturnType<typeof standard.acquireInitialRetryToken>>;
  return {
    acquireInitialRetryToken: (scope) => standard.acquireInitialRetryToken(scope),
    // A rejection here makes the retry middleware throw the attempt's own error.
    refreshRetryTokenForRetry: (token, info) =>
      info.errorType === 'THROTTLING'
        ? Promise.reject(info.error ?? new Error('throttled'))
        : standard.refreshRetryTokenForRetry(token as Token, info),
    recordSuccess: (token) => standard.recordSuccess(token as Token),
  };
}
