/**
 * The helper's token source: the AWS API (SDK loaded lazily) behind the shared on-disk cache. One
 * composition for the executable (main.ts) and the library (index.ts), so both read and write
 * the same cache entries.
 */
import type { LoadSdk } from '../aws/aws-sdk';
import type { Progress } from '../aws/token';
import { createCachedTokenSource } from '../cache/cached-token-source';
import type { Config, Env } from '../config/load-config';
import type { Logger } from '../log';
import { createApiTokenSource, type TokenSource } from './token-source';

/** Everything one call's token source depends on; effects and clock passed in. */
export interface TokenSourceOptions {
  readonly config: Config;
  readonly env: Env;
  readonly home: string;
  readonly logger: Logger;
  readonly loadSdk: LoadSdk;
  readonly signal: AbortSignal;
  readonly deadline: number;
  readonly progress: Progress;
  readonly now: () => number;
}

/** The API source, with the cache in front unless AWS_ECR_DISABLE_CACHE turned it off. */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { config, env, logger, signal, progress } = options;
  const api = createApiTokenSource({
    loadSdk: options.loadSdk,
    env,
    logger,
    signal,
    deadline: options.deadline,
    progress,
  });
  if (config.cacheDir === null) return api;
  return createCachedTokenSource({
    dir: config.cacheDir,
    source: api,
    env,
    home: options.home,
    logger,
    now: options.now,
    signal,
    progress,
    timeoutMs: config.timeoutMs,
  });
}
