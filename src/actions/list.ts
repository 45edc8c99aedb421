/**
 * `list`: never reads stdin (docker-py leaves it attached). The union of what each store lists for
 * the hosts routed to it (a login the fallback still holds for a host now routed elsewhere is not
 * offered: docs/universal-mode.md), the registries the configuration names (list-configured.ts),
 * and the live cached ECR tokens. Local state only: no network, no AWS SDK.
 */
import { errorCode } from '../error-code';
import { encodeList } from '../protocol/encode';
import type { ActionContext } from './action-context';
import { listConfigured } from './list-configured';
import type { StoreName } from '../stores/credential-store';

/** Lists registries with credentials, as `{"<server URL>":"<user name>"}`. */
export async function listAction(context: ActionContext): Promise<string> {
  const merged: Record<string, string> = {};
  for (const name of context.routes.stores()) {
    const store = context.openStore(name);
    context.progress.step = `listing ${store.label}`;
    let listed: Record<string, string>;
    try {
      listed = await store.list();
    } catch (error) {
      // One broken store must not break `docker build` (it lists before every build): say why
      // on stderr and list the rest.
      const reason = error instanceof Error ? error.message : errorCode(error);
      context.logger.warn(`list: skipping ${store.label}: ${reason}`);
      continue;
    }
    for (const [serverUrl, username] of Object.entries(listed)) {
      const route = context.routes.routeFor(serverUrl);
      if (route.kind === 'store' && sameStore(route.store, name)) merged[serverUrl] = username;
    }
  }
  // Named by the configuration: list-first clients find them on a cold cache.
  Object.assign(merged, listConfigured(context));
  // ECR last: a cached token outranks a stale stored login for the same URL.
  Object.assign(merged, await context.tokens.listKnown(context.routes.identities()));
  return encodeList(merged);
}

function sameStore(a: StoreName, b: StoreName): boolean {
  return a.kind === b.kind && (a.kind !== 'helper' || b.kind !== 'helper' || a.name === b.name);
}
