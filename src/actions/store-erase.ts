/**
 * `store` and `erase` over routes (docs/universal-mode.md). ECR tokens are minted on demand, so for ECR hosts
 * (and aliases of them) both succeed and persist nothing: `docker login` and `docker logout` just
 * work (the reference helper says "not implemented" instead). Other hosts go to the store their
 * route names, the fallback by default, so `docker login ghcr.io` keeps working.
 */
import { HelperError } from '../errors';
import { decodeServerUrl, decodeStoreInput } from '../protocol/decode';
import { quoteServerUrl } from '../quote';
import type { ActionContext } from './action-context';

/** Accepts credentials from `docker login`. */
export async function storeAction(context: ActionContext): Promise<string> {
  context.progress.step = 'reading credentials from stdin';
  const credentials = decodeStoreInput(await context.readInput());
  context.logger.addSecret(credentials.secret);
  const route = context.routes.routeFor(credentials.serverUrl);
  const quoted = quoteServerUrl(credentials.serverUrl);
  switch (route.kind) {
    case 'ecr':
    case 'alias':
      context.logger.debug(`store ${quoted}: an ECR registry, nothing to persist`);
      return '';
    case 'anonymous':
    case 'secrets-manager':
      if (context.config.ignoreCredsStorage) return '';
      throw new HelperError(
        'CANNOT_STORE',
        `cannot store credentials for ${quoted}: the config file routes it ${route.kind === 'anonymous' ? 'as anonymous' : 'to Secrets Manager'}, so a login would never be used; remove that route to keep logins for it`,
      );
    case 'store':
      if (route.store.kind === 'none' && context.config.ignoreCredsStorage) return '';
      context.progress.step = 'storing the credentials';
      await context.openStore(route.store).store(credentials);
      return '';
  }
}

/** Forgets credentials on `docker logout`. */
export async function eraseAction(context: ActionContext): Promise<string> {
  context.progress.step = 'reading the server URL from stdin';
  const serverUrl = decodeServerUrl(await context.readInput());
  const route = context.routes.routeFor(serverUrl);
  if (route.kind !== 'store') return '';
  context.progress.step = 'erasing the credentials';
  await context.openStore(route.store).erase(serverUrl);
  return '';
}
