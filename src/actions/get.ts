/** `get`: server URL on stdin -> `{"ServerURL","Username","Secret"}` on stdout. */
import { notFound } from '../errors';
import { decodeServerUrl } from '../protocol/decode';
import { encodeCredentials } from '../protocol/encode';
import { quoteServerUrl } from '../quote';
import { parseRegistry } from '../registry/parse-registry';
import type { ActionContext } from './action-context';

/** Answers the credentials for one server URL. */
export async function getAction(context: ActionContext): Promise<string> {
  context.progress.step = 'reading the server URL from stdin';
  const serverUrl = decodeServerUrl(await context.readInput());
  const registry = parseRegistry(serverUrl);
  context.logger.debug(`get ${quoteServerUrl(serverUrl)}: ${registry.kind} registry`);
  // Not ECR: answer not-found without any AWS call, so docker falls back to anonymous access.
  if (registry.kind === 'other') throw notFound();
  const token = await context.tokens.getToken(registry);
  context.logger.addSecret(token.password);
  return encodeCredentials({ serverUrl, username: token.username, secret: token.password });
}
