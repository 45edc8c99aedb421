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
  // No prototype: a stored server URL `__proto__` is a key like any other.
  const merged = Object.create(null) as Record<string, string>;
  // All stores at once: a helper that hangs (pass waiting for a passphrase) must not use up the
  // time of the ones after it.
  const stores = context.routes.stores().map((name) => {
    const store = context.openStore(name);
    return { name, store, listing: settle(() => store.list()) };
  });
  context.progress.step = `listing ${stores.map(({ store }) => store.label).join(', ')}`;
  for (const { name, store, listing } of stores) {
    let listed: Record<string, string>;
    try {
      listed = await listing;
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

/** `start()` begun now, its failure (thrown or rejected) handled later, where it is awaited. */
function settle<T>(start: () => Promise<T>): Promise<T> {
  const promise = (async () => start())();
  promise.catch(() => undefined);
  return promise;
}

function sameStore(a: StoreName, b: StoreName): boolean {
  return a.kind === b.kind && (a.kind !== 'helper' || b.kind !== 'helper' || a.name === b.name);
}
