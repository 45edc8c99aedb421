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
      for (const { rule } of table.entries()) {
        if (rule.kind !== 'helper') continue;
        if (!names.some((name) => name.kind === 'helper' && name.name === rule.name)) {
          names.push({ kind: 'helper', name: rule.name });
        }
      }
      return names;
    },
    identities() {
      const identities: AwsIdentity[] = [{}];
      for (const { rule } of table.entries()) {
        if (rule.kind === 'identity' || rule.kind === 'alias') identities.push(rule.identity);
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
