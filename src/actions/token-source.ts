/** Where `get` obtains a token: the AWS API, loaded lazily (the cache wraps this). */
import type { LoadSdk } from '../aws/aws-sdk';
import { fetchToken } from '../aws/fetch-token';
import type { EcrToken, Progress } from '../aws/token';
import type { Env } from '../config/load-config';
import type { Logger } from '../log';
import type { PrivateRegistry, PublicRegistry } from '../registry/parse-registry';

/** Answers a token for an ECR registry, from wherever it can. */
export interface TokenSource {
  getToken(registry: PrivateRegistry | PublicRegistry): Promise<EcrToken>;
  /** Live server URLs -> usernames known without a network call (for `list`). */
  listKnown(): Promise<Record<string, string>>;
}

/** A token source that asks the AWS API every time. */
export function createApiTokenSource(options: {
  loadSdk: LoadSdk;
  env: Env;
  logger: Logger;
  signal: AbortSignal;
  deadline: number;
  progress: Progress;
}): TokenSource {
  return {
    async getToken(registry) {
      return fetchToken(
        {
          registry,
          env: options.env,
          logger: options.logger,
          signal: options.signal,
          deadline: options.deadline,
          progress: options.progress,
        },
        options.loadSdk,
      );
    },
    listKnown: async () => ({}),
  };
}
