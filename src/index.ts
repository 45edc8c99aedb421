/**
 * The library API for Node programs (dockerode and friends): the Docker auth config for an image
 * reference or registry host, from the same token cache as the executable. The AWS SDK is loaded
 * only when the cache cannot answer.
 */
import { loadSdk } from './aws/load-sdk';
import { runCall } from './compose';
import { loadConfig } from './config/load-config';
import { isHelperError } from './errors';
import { silentLogger, type Logger } from './log';
import { parseRegistry } from './registry/parse-registry';

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
 * Returns the auth config for an ECR image reference (`<account>.dkr.ecr.<region>.amazonaws.com/
 * app:1.0`) or registry host, or undefined when it is not ECR (or is ECR Public and no AWS
 * credentials exist: pull anonymously). Other failures throw a HelperError with a stable `code`.
 * Reads process.env (HOME, AWS_*, ECR_TS_*), as the AWS SDK does.
 */
export async function getAuthConfig(
  imageOrRegistry: string,
  options: GetAuthConfigOptions = {},
): Promise<AuthConfig | undefined> {
  // An image reference without a registry (`node:24`) is Docker Hub: the host is then `node`,
  // which is not ECR either.
  const registry = parseRegistry(imageOrRegistry);
  if (registry.kind === 'other') return undefined;
  const env = process.env;
  const config = loadConfig(env);
  try {
    const token = await runCall({
      env,
      config: { ...config, timeoutMs: options.timeoutMs ?? config.timeoutMs },
      logger: options.logger ?? silentLogger,
      loadSdk,
      now: Date.now,
      signal: options.signal,
      work: (call) => call.tokens.getToken(registry),
    });
    return { username: token.username, password: token.password, serveraddress: registry.host };
  } catch (error) {
    if (isHelperError(error, 'NOT_FOUND')) return undefined;
    throw error;
  }
}
