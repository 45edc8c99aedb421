/**
 * The wiring of one call, built in one place for the executable (main.ts) and the library
 * (index.ts): both bound their work the same way and read and write the same cache entries.
 */
import { createApiTokenSource } from './aws/api-token-source';
import type { LoadSdk } from './aws/aws-sdk';
import type { TokenSource } from './aws/token';
import { createCachedTokenSource } from './cache/cached-token-source';
import type { CallContext, Progress } from './call-context';
import type { Config } from './config/parse-config';
import { NO_HOME } from './config/resolve-home';
import type { Env } from './env';
import { withDeadline, workDeadline } from './deadline';
import type { Logger } from './log';

/** One call's context with its token source: what the work of a call receives. */
export interface Call extends CallContext {
  readonly tokens: TokenSource;
}

/** What runCall() needs; effects and clock passed in. */
export interface CallOptions<T> {
  readonly env: Env;
  readonly config: Config;
  readonly logger: Logger;
  readonly loadSdk: LoadSdk;
  readonly now: () => number;
  /** Epoch milliseconds the call's bound counts from (default: now()). */
  readonly startedAt?: number;
  /** The bound on the whole call in milliseconds (default: config.timeoutMs). */
  readonly boundMs?: number;
  /** The caller's own abort, if any (library callers). */
  readonly signal?: AbortSignal | undefined;
  readonly work: (call: Call) => Promise<T>;
}

/** Runs `work` with a fresh call context and token source, bounded by boundMs. */
export async function runCall<T>(options: CallOptions<T>): Promise<T> {
  const { config, now } = options;
  const boundMs = options.boundMs ?? config.timeoutMs;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (options.signal?.aborted) abort();
    const progress: Progress = { step: 'starting' };
    const deadline = workDeadline(options.startedAt ?? now(), boundMs);
    const context: CallContext = {
      env: options.env,
      logger: options.logger,
      signal: controller.signal,
      deadline,
      progress,
    };
    const tokens = createTokenSource(context, { config, loadSdk: options.loadSdk, now });
    return await withDeadline({
      timeoutMs: boundMs,
      deadline,
      progress,
      controller,
      work: () => options.work({ ...context, tokens }),
    });
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/** The API source (SDK loaded lazily), with the cache in front unless AWS_ECR_DISABLE_CACHE. */
export function createTokenSource(
  context: CallContext,
  options: { config: Config; loadSdk: LoadSdk; now: () => number },
): TokenSource {
  const { config } = options;
  const api = createApiTokenSource(context, options.loadSdk);
  if (config.cacheDir === null) return api;
  return createCachedTokenSource({
    context,
    dir: config.cacheDir,
    source: api,
    // No home folder: no default AWS config files either (see resolve-home.ts).
    home: config.home ?? NO_HOME,
    now: options.now,
    timeoutMs: config.timeoutMs,
  });
}
