/** `get`: server URL on stdin -> `{"ServerURL","Username","Secret"}` on stdout. */
import { notFound } from '../errors';
import { decodeServerUrl } from '../protocol/decode';
import { encodeCredentials } from '../protocol/encode';
import { parseRegistry } from '../registry/parse-registry';
import type { ActionContext } from './action-context';

/** Answers the credentials for one server URL. */
export async function getAction(context: ActionContext): Promise<string> {
  context.progress.step = 'reading the server URL from stdin';
  const serverUrl = decodeServerUrl(await context.readInput());
  const registry = parseRegistry(serverUrl);
  context.logger.debug(`get ${JSON.stringify(serverUrl)}: ${registry.kind} registry`);
  // Not ECR: the store its route names answers (the fallback by default), with no AWS call;
  // not-found there makes docker fall back to anonymous access.
  if (registry.kind === 'other') {
    const route = context.routes.routeFor(serverUrl);
    if (route.kind !== 'store') throw notFound();
    const found = await context.openStore(route.store).get(serverUrl);
    context.logger.addSecret(found.secret);
    return encodeCredentials({ serverUrl, username: found.username, secret: found.secret });
  }
  const token = await context.tokens.getToken(registry);
  context.logger.addSecret(token.password);
  return encodeCredentials({ serverUrl, username: token.username, secret: token.password });
}
