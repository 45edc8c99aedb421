/**
 * `store` and `erase`. ECR tokens are minted on demand, so for ECR hosts both succeed and persist
 * nothing: `docker login` and `docker logout` just work (the reference helper says "not
 * implemented" instead).
 */
import { HelperError, notFound } from '../errors';
import { decodeServerUrl, decodeStoreInput } from '../protocol/decode';
import { quoteServerUrl } from '../quote';
import { isEcrHost } from '../registry/parse-registry';
import type { ActionContext } from './action-context';

/** Accepts credentials from `docker login`. */
export async function storeAction(context: ActionContext): Promise<string> {
  context.progress.step = 'reading credentials from stdin';
  const credentials = decodeStoreInput(await context.readInput());
  context.logger.addSecret(credentials.secret);
  if (isEcrHost(credentials.serverUrl) || context.config.ignoreCredsStorage) {
    context.logger.debug(`store ${quoteServerUrl(credentials.serverUrl)}: nothing to persist`);
    return '';
  }
  throw new HelperError(
    'CANNOT_STORE',
    `cannot store credentials for ${quoteServerUrl(credentials.serverUrl)}: it is not an ECR registry and no fallback helper is configured`,
  );
}

/** Forgets credentials on `docker logout`. */
export async function eraseAction(context: ActionContext): Promise<string> {
  context.progress.step = 'reading the server URL from stdin';
  const serverUrl = decodeServerUrl(await context.readInput());
  if (isEcrHost(serverUrl) || context.config.ignoreCredsStorage) return '';
  throw notFound();
}
