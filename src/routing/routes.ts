/**
 * The routes of one call (docs/universal-mode.md), over the config file's RouteTable: what each host resolves to
 * (resolve-route.ts), which stores `list` asks, and which AWS identities' cached tokens it shows.
 */
import type { Route } from './route';
import { resolveRoute } from './resolve-route';
import type { RouteTable } from './route-table';
import type { AwsIdentity } from '../aws/aws-identity';
import type { StoreName } from '../stores/credential-store';

/** The routes of one call: what a host resolves to, and every store a route or the fallback names. */
export interface Routes {
  routeFor(serverUrl: string): Route;
  /** The fallback first, then each store a route names, without repeats (for `list`). */
  stores(): readonly StoreName[];
  /** The default identity, then each one an ECR route or alias names (for `list`). */
  identities(): readonly AwsIdentity[];
}

/** Routes by the table's entries and fallback. */
export function createRoutes(table: RouteTable): Routes {
  return {
    routeFor: (serverUrl) => resolveRoute(serverUrl, table),
    stores() {
      const names: StoreName[] = [table.fallback];
      for (const { route } of table.entries()) {
        if (route.kind !== 'store' || route.store.kind !== 'helper') continue;
        const { name } = route.store;
        if (!names.some((known) => known.kind === 'helper' && known.name === name)) {
          names.push(route.store);
        }
      }
      return names;
    },
    identities() {
      const identities: AwsIdentity[] = [{}];
      for (const { route } of table.entries()) {
        if (route.kind === 'ecr' || route.kind === 'alias') identities.push(route.identity);
      }
      return identities;
    },
  };
}

/** The StoreName a `fallback` value names: `file`, `none`, or a helper name. */
export function storeNameOf(value: string): StoreName {
  if (value === 'file') return { kind: 'file' };
  if (value === 'none') return { kind: 'none' };
  return { kind: 'helper', name: value };
}
