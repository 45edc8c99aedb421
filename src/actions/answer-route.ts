/**
 * Carries out a route for `get` (docs/universal-mode.md): the one place that knows what each kind
 * of route answers, shared by the `get` action and the library's getAuthConfig().
 */
import type { EcrToken } from '../aws/token';
import { notFound } from '../errors';
import type { Route } from '../routing/route';
import type { Credentials } from '../stores/credential-store';
import type { ActionContext } from './action-context';

/** Credentials, and for a token or secret its lifetime (what a kubelet may cache it for). */
export interface RouteAnswer extends Credentials {
  /** From the token or secret that answered (see EcrToken); absent for a store's login. */
  readonly lifetime?: Pick<EcrToken, 'expiresAt' | 'refreshAt'>;
}

/** The credentials for `serverUrl` by `route`; throws notFound() when there are none. */
export async function answerRoute(
  route: Route,
  serverUrl: string,
  context: ActionContext,
): Promise<RouteAnswer> {
  const { tokens, logger } = context;
  // A token or a secret's login, answered for the host that was asked for.
  const answer = (token: EcrToken): RouteAnswer => {
    logger.addSecret(token.password);
    const { expiresAt, refreshAt } = token;
    const lifetime = refreshAt === undefined ? { expiresAt } : { expiresAt, refreshAt };
    return { serverUrl, username: token.username, secret: token.password, lifetime };
  };
  switch (route.kind) {
    case 'ecr':
    case 'alias': {
      // An alias: the target registry's token, answered for the host that was asked for.
      const registry = route.kind === 'ecr' ? route.registry : route.target;
      return answer(await tokens.getToken(registry, route.identity));
    }
    case 'secrets-manager':
      return answer(
        await tokens.getSecret({
          host: serverUrl,
          secretId: route.secretId,
          ...(route.region !== undefined ? { region: route.region } : {}),
          identity: route.identity,
          cacheSeconds: route.cacheSeconds,
        }),
      );
    case 'anonymous':
      throw notFound();
    case 'store': {
      const credentials = await context.openStore(route.store).get(serverUrl);
      logger.addSecret(credentials.secret);
      return credentials;
    }
  }
}

/** A short, secret-free description of a route, for the debug log. */
export function describeRoute(route: Route): string {
  switch (route.kind) {
    case 'ecr':
      return `ECR ${route.registry.kind} registry${identityText(route.identity)}`;
    case 'alias':
      return `alias of ${route.target.host}${identityText(route.identity)}`;
    case 'secrets-manager':
      return `Secrets Manager secret ${JSON.stringify(route.secretId)}${identityText(route.identity)}`;
    case 'anonymous':
      return 'anonymous';
    case 'store':
      return route.store.kind === 'helper'
        ? `docker-credential-${route.store.name}`
        : `the ${route.store.kind} store`;
  }
}

function identityText(identity: { profile?: string; roleArn?: string }): string {
  const parts = [
    ...(identity.profile ? [`profile ${JSON.stringify(identity.profile)}`] : []),
    ...(identity.roleArn ? [`role ${identity.roleArn}`] : []),
  ];
  return parts.length > 0 ? ` as ${parts.join(' + ')}` : '';
}
