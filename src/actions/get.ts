/** `get`: server URL on stdin -> `{"ServerURL","Username","Secret"}` on stdout. */
import { decodeServerUrl } from '../protocol/decode';
import { encodeCredentials } from '../protocol/encode';
import { quoteServerUrl } from '../quote';
import { answerRoute, describeRoute } from './answer-route';
import type { ActionContext } from './action-context';

/** Answers the credentials for one server URL, by its route (docs/universal-mode.md). */
export async function getAction(context: ActionContext): Promise<string> {
  context.progress.step = 'reading the server URL from stdin';
  const serverUrl = decodeServerUrl(await context.readInput());
  // Not ECR and no route: the fallback store, which answers not-found when it holds nothing, so
  // docker falls back to anonymous access. No AWS call is made for such a host.
  const route = context.routes.routeFor(serverUrl);
  context.logger.debug(`get ${quoteServerUrl(serverUrl)}: ${describeRoute(route)}`);
  return encodeCredentials(await answerRoute(route, serverUrl, context));
}
