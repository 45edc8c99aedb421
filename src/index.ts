/**
 * The library API for Node programs (dockerode and friends): the Docker auth config for an image
 * reference or registry host, by the same routes (docs/universal-mode.md) and from the same token cache as the
 * executable. The AWS SDK is loaded only when the cache cannot answer.
 */
import { join } from 'node:path';
import { answerRoute } from './actions/answer-route';
import { compose } from './compose';
import { isHelperError } from './errors';
import { silentLogger, type Logger } from './log';
import { PRODUCT } from './product';
import { registryOfImage } from './registry/registry-of-image';

export { HelperError, isHelperError, type ErrorCode } from './errors';
export type { Logger } from './log';

/** A Docker Engine auth config, as dockerode's `authconfig` and `X-Registry-Auth` take it. */
export interface AuthConfig {
  readonly username: string;
  readonly password: string;
  /** The registry host the credentials are for. */
  readonly serveraddress: string;
}

/** Options of getAuthConfig(); settings otherwise come from the environment, as for the helper. */
export interface GetAuthConfigOptions {
  /** Bound on the whole call in milliseconds (default: ECR_TS_TIMEOUT, else 10 s). */
  readonly timeoutMs?: number;
  /** Receives warnings and debug lines (default: nothing is logged). */
  readonly logger?: Logger;
  /** Aborts the call early. */
  readonly signal?: AbortSignal;
}

/**
 * Returns the auth config for an image reference (`<account>.dkr.ecr.<region>.amazonaws.com/
 * app:1.0`, `ghcr.io/org/app`, `node:24`) or registry host, following the universal-mode routes
 * of the config file: ECR tokens, aliases, Secrets Manager logins, and the fallback store for
 * every other registry. Undefined when there are no credentials for it (pull anonymously).
 * Other failures throw a HelperError with a stable `code`. Reads process.env (HOME, AWS_*,
 * ECR_TS_*), as the AWS SDK does.
 */
export async function getAuthConfig(
  imageOrRegistry: string,
  options: GetAuthConfigOptions = {},
): Promise<AuthConfig | undefined> {
  const call = compose({
    env: process.env,
    uid: process.getuid?.() ?? -1,
    // A fallback helper resolving to this package's own executable would loop.
    self: [join(__dirname, '..', 'bin', PRODUCT)],
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    logger: options.logger ?? silentLogger,
    signal: options.signal,
  });
  const serverUrl = registryOfImage(imageOrRegistry);
  try {
    return await call.run(async (context) => {
      const route = context.routes.routeFor(serverUrl);
      const credentials = await answerRoute(route, serverUrl, context);
      return {
        username: credentials.username,
        password: credentials.secret,
        // ECR hosts as the engine names them (no scheme or path); other servers as they were asked.
        serveraddress:
          route.kind === 'ecr'
            ? route.registry.host
            : route.kind === 'store'
              ? credentials.serverUrl
              : serverUrl,
      };
    });
  } catch (error) {
    if (isHelperError(error, 'NOT_FOUND')) return undefined;
    throw error;
  }
}
