/** Where tokens and secrets come from when nothing cached can answer: the AWS API, loaded lazily. */
import type { CallContext } from '../call-context';
import type { LoadSdk } from './aws-sdk';
import { fetchSecret } from './fetch-secret';
import { fetchToken } from './fetch-token';
import type { TokenSource } from './token';

/** A token source that asks the AWS API every time (the cache wraps it). */
export function createApiTokenSource(context: CallContext, loadSdk: LoadSdk): TokenSource {
  return {
    getToken: (registry, identity = {}, options = {}) =>
      fetchToken(
        { ...context, registry, identity, hasFallback: options.hasFallback === true },
        loadSdk,
      ),
    getSecret: (request) => fetchSecret({ ...context, ...request }, loadSdk),
    listKnown: async () => ({}),
  };
}
