/**
 * Where tokens and secrets come from when nothing cached can answer: the AWS API, loaded lazily.
 * The fetch modules (credentials, throttling, error wording) are themselves loaded on the first
 * call, as the SDK is: a cache hit never evaluates them (docs/benchmarks.md).
 */
import type { CallContext } from '../call-context';
import type { LoadSdk } from './aws-sdk';
import type { TokenSource } from './token';

/** A token source that asks the AWS API every time (the cache wraps it). */
export function createApiTokenSource(context: CallContext, loadSdk: LoadSdk): TokenSource {
  return {
    getToken: async (registry, identity = {}, options = {}) => {
      const { fetchToken } = await import('./fetch-token');
      return fetchToken(
        { ...context, registry, identity, hasFallback: options.hasFallback === true },
        loadSdk,
      );
    },
    getSecret: async (request) => {
      const { fetchSecret } = await import('./fetch-secret');
      return fetchSecret({ ...context, ...request }, loadSdk);
    },
    listKnown: async () => ({}),
  };
}
