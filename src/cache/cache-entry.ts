/**
 * The on-disk shape of one cached token and its strict parser. Pure: anything that does not match
 * this exact version and shape is reported as unusable, never half-trusted.
 */
import type { EcrToken } from '../aws/token';
import { parseJsonObject } from '../json';

/** A token this close to its end is treated as expired: docker must still get to use it. */
export const EXPIRY_MARGIN_MS = 60_000;
/** ECR's token lifetime; no entry is trusted for longer, whatever its file says. */
const MAX_LIFETIME_MS = 12 * 3600_000;
/** How much of a token's life the random refresh point may move earlier than half life. */
const JITTER_SHARE = 1 / 4;

/** Bumped whenever the shape changes; other versions' files are ignored, never reinterpreted. */
export const CACHE_VERSION = 1;

/** What a token is for: one per partition, region, service and credential identity. */
export interface CacheScope {
  readonly partition: string;
  readonly region: string;
  /** What a cached answer comes from: an ECR API, or a Secrets Manager secret (docs/universal-mode.md). */
  readonly service: 'ecr' | 'ecr-public' | 'secrets-manager';
  /** Hash of what selects the AWS credentials (see cache-identity.ts); never a key. */
  readonly identity: string;
}

/** One cache file's content. */
export interface CacheEntry extends CacheScope {
  readonly version: typeof CACHE_VERSION;
  /** Registry hosts this token was handed out for (what `list` prints). */
  readonly hosts: readonly string[];
  readonly username: string;
  readonly password: string;
  /** Epoch milliseconds when the token was obtained (the start of its life). */
  readonly fetchedAt: number;
  /** Epoch milliseconds when ECR stops accepting it (on the local clock; at most 12 h on). */
  readonly expiresAt: number;
  /** Epoch milliseconds from which it is refreshed (absent: half life; see freshness.ts). */
  readonly refreshAt?: number;
}

/** The parse outcome: an entry, or why the text is not one (for the single warning). */
type ParsedEntry =
  | { readonly ok: true; readonly entry: CacheEntry }
  | { readonly ok: false; readonly reason: string };

/**
 * How long, on the local clock, a token fetched now stays valid, from the lifetime the server's
 * expiry gives on the local clock. At most ECR's 12 hours. A token that looks (nearly) expired on
 * arrival was minted a moment ago, so the local clock is fast, by 12 hours or more: it gets ECR's
 * 12 hours, instead of an entry that could never be served (docs/security-model.md#a-fast-local-clock).
 */
function localLifetime(serverLifetimeMs: number): number {
  if (!(serverLifetimeMs > EXPIRY_MARGIN_MS)) return MAX_LIFETIME_MS;
  return Math.min(serverLifetimeMs, MAX_LIFETIME_MS);
}

/**
 * When an entry fetched at `fetchedAt` with `lifetimeMs` should be refreshed: half life for
 * `jitter` 0, a quarter of its life for `jitter` 1 (a uniform random number in [0, 1] spreads a
 * fleet's refreshes over a quarter of the lifetime: 3 hours for ECR's tokens).
 */
function refreshPoint(fetchedAt: number, lifetimeMs: number, jitter: number): number {
  const share = Math.min(1, Math.max(0, jitter)) * JITTER_SHARE;
  return fetchedAt + Math.round(lifetimeMs * (1 / 2 - share));
}

/**
 * Builds the entry for a freshly fetched token. Its life is measured on the local clock (see
 * localLifetime), and `jitter` (a uniform random number in [0, 1], passed in) picks its refresh
 * point.
 */
export function entryFor(options: {
  scope: CacheScope;
  hosts: readonly string[];
  token: EcrToken;
  fetchedAt: number;
  jitter: number;
}): CacheEntry {
  const { scope, token, fetchedAt } = options;
  // A Secrets Manager login's expiry is our own cacheSeconds on the local clock: no clock to doubt.
  const lifetime =
    scope.service === 'secrets-manager'
      ? Math.min(Math.max(0, token.expiresAt - fetchedAt), MAX_LIFETIME_MS)
      : localLifetime(token.expiresAt - fetchedAt);
  return {
    version: CACHE_VERSION,
    partition: scope.partition,
    region: scope.region,
    service: scope.service,
    identity: scope.identity,
    hosts: [...new Set(options.hosts)],
    username: token.username,
    password: token.password,
    fetchedAt,
    expiresAt: fetchedAt + lifetime,
    refreshAt: refreshPoint(fetchedAt, lifetime, options.jitter),
  };
}

/** The token an entry holds. */
export function tokenOf(entry: CacheEntry): EcrToken {
  return {
    username: entry.username,
    password: entry.password,
    expiresAt: entry.expiresAt,
  };
}

/** Parses a cache file's text; truncated, foreign or malformed content is `ok: false`. */
export function parseEntry(text: string): ParsedEntry {
  const record = parseJsonObject(text);
  if (record === 'not JSON') return { ok: false, reason: 'not valid JSON (corrupt or truncated)' };
  if (record === 'not an object') return { ok: false, reason: 'not a JSON object' };
  if (record['version'] !== CACHE_VERSION) {
    return {
      ok: false,
      reason: `cache format version ${JSON.stringify(record['version'])}, expected ${CACHE_VERSION}`,
    };
  }
  const strings = ['partition', 'region', 'identity', 'username', 'password'] as const;
  for (const name of strings) {
    if (typeof record[name] !== 'string' || record[name] === '') {
      return { ok: false, reason: `field "${name}" is missing or not a string` };
    }
  }
  const service = record['service'];
  if (service !== 'ecr' && service !== 'ecr-public' && service !== 'secrets-manager') {
    return { ok: false, reason: 'field "service" names no API this version knows' };
  }
  const { fetchedAt, expiresAt, refreshAt, hosts } = record;
  if (!isTime(fetchedAt) || !isTime(expiresAt) || expiresAt <= fetchedAt) {
    return { ok: false, reason: 'fields "fetchedAt"/"expiresAt" are not a valid time span' };
  }
  if (refreshAt !== undefined && !(isTime(refreshAt) && refreshAt >= fetchedAt)) {
    return { ok: false, reason: 'field "refreshAt" is not a time after "fetchedAt"' };
  }
  if (!Array.isArray(hosts) || !hosts.every((host) => typeof host === 'string')) {
    return { ok: false, reason: 'field "hosts" is not a list of host names' };
  }
  const entry = record as unknown as CacheEntry;
  // No token lives longer than ECR's 12 hours, whatever a file (an older version's, written
  // with a slow clock) says.
  const longest = fetchedAt + MAX_LIFETIME_MS;
  return { ok: true, entry: expiresAt > longest ? { ...entry, expiresAt: longest } : entry };
}

/** The file content for an entry. */
export function serializeEntry(entry: CacheEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
