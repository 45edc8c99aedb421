/**
 * The route of a server URL (docs/universal-mode.md), pure: ECR hosts (docs/ecr-hosts.md) mint tokens, with the identity an
 * entry gives them; a matching entry decides for any other host; the rest go to the fallback.
 */
import { HelperError } from '../errors';
import { extractHostPort, parseRegistry } from '../registry/parse-registry';
import { matchRoute } from './match-route';
import type { Route } from './route';
import type { RouteTable } from './route-table';

/** What the helper does for `serverUrl` under `table`. */
export function resolveRoute(serverUrl: string, table: RouteTable): Route {
  const registry = parseRegistry(serverUrl);
  const target = extractHostPort(serverUrl);
  const entry = matchRoute(target, table.entriesFor(target));
  if (!entry) {
    return registry.kind === 'other'
      ? { kind: 'store', store: table.fallback }
      : { kind: 'ecr', registry, identity: {} };
  }
  const { route } = entry;
  if (route.kind !== 'ecr') return route;
  // A pattern may cover hosts that only look like ECR: they never become ECR by a route.
  if (registry.kind === 'other') {
    throw new HelperError(
      'CONFIG',
      `${table.file ?? 'the config file'}: registries[${JSON.stringify(entry.key)}] gives an AWS identity, which applies to ECR hosts only, but ${JSON.stringify(registry.host)} is not one. Use "ecr" for an alias of an ECR registry, or "secretsManager"`,
    );
  }
  return { kind: 'ecr', registry, identity: route.identity };
}
