/**
 * Universal mode's settings as the config file gives them (docs/universal-mode.md): the fallback store and the
 * ordered `registries` entries, each a host pattern and what it asks for. Pure data; the config
 * loader builds it, resolve-route.ts turns it and a host into a Route.
 */
import type { HostPort, EcrRegistry } from '../registry/parse-registry';
import type { HostPattern } from './host-pattern';
import type { AwsIdentity } from '../aws/aws-identity';
import type { StoreName } from '../stores/credential-store';

/** What one `registries` entry asks for, validated. */
export type RouteRule =
  /** Only an AWS identity (or nothing): the host must be ECR; its tokens use that identity. */
  | { readonly kind: 'identity'; readonly identity: AwsIdentity }
  | { readonly kind: 'alias'; readonly target: EcrRegistry; readonly identity: AwsIdentity }
  | { readonly kind: 'helper'; readonly name: string }
  | {
      readonly kind: 'secrets-manager';
      readonly secretId: string;
      readonly region?: string;
      readonly identity: AwsIdentity;
      readonly cacheSeconds: number;
    }
  | { readonly kind: 'anonymous' };

/** One `registries` entry: its key as written, the compiled pattern, and the rule. */
export interface RouteEntry {
  readonly key: string;
  readonly pattern: HostPattern;
  readonly rule: RouteRule;
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

/** How long a Secrets Manager answer is reused unless the entry says otherwise. */
export const DEFAULT_SECRET_CACHE_SECONDS = 900;
