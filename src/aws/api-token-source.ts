/** Where a token comes from when nothing cached can answer: the AWS API, loaded lazily. */
import type { CallContext } from '../call-context';
import type { LoadAws, TokenSource } from './token';

/** A token source that asks the AWS API every time (the cache wraps it). */
export function createApiTokenSource(context: CallContext, loadAws: LoadAws): TokenSource {
  return {
    async getToken(registry) {
      context.progress.step = 'loading the AWS SDK';
      const aws = await loadAws();
      return aws.fetchToken({ ...context, registry });
    },
    listKnown: async () => ({}),
  };
}
