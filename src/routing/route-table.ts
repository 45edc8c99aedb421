/**
 * Universal mode's settings as the config file gives them (docs/universal-mode.md): the fallback store and the
 * ordered `registries` entries, each a host pattern and its route. Pure data; the config
 * loader builds it, resolve-route.ts turns it and a host into a Route.
 */
import type { HostPort } from '../registry/parse-registry';
import type { StoreName } from '../stores/credential-store';
import type { HostPattern } from './host-pattern';
import type { EntryRoute } from './route';

/** One `registries` entry: its key as written, the compiled pattern, and its route. */
export interface RouteEntry {
  readonly key: string;
  readonly pattern: HostPattern;
  readonly route: EntryRoute;
}

/** The universal-mode part of the settings. */
export interface RouteTable {
  /** The config file these came from, or null when there was none (the defaults). */
  readonly file: string | null;
  /** Where every host without a route goes. */
  readonly fallback: StoreName;
  /** Every entry, in the file's order (it breaks ties of precedence). */
  entries(): readonly RouteEntry[];
  /**
   * The entries that may cover `target`, in the file's order: every entry that does, perhaps with
   * some that do not (match-route.ts decides). A cache-hit `get` asks for one host: a file
   * validated earlier (load-config.ts) is then parsed only as far as that host needs.
   */
  entriesFor(target: HostPort): readonly RouteEntry[];
}

/** A table whose entries are all parsed already. */
export function routeTableOf(
  file: string | null,
  fallback: StoreName,
  entries: readonly RouteEntry[],
): RouteTable {
  return { file, fallback, entries: () => entries, entriesFor: () => entries };
}

/** No config file: every non-ECR host goes to the built-in file store. */
export const DEFAULT_ROUTE_TABLE: RouteTable = routeTableOf(null, { kind: 'file' }, []);
