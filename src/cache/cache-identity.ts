/**
 * The credential identity a cached token belongs to, known without a network call: a hash of
 * everything that selects the AWS credentials the default chain would use. Two callers share a
 * token only when all of it is equal; the hash keeps access key ids, capability URIs and the like
 * off the disk.
 */
import { join } from 'node:path';
import { credentialSources } from '../aws/credential-sources';
import type { Env } from '../env';
import { nonEmpty } from '../env';
import { tokenService, type EcrRegistry } from '../registry/parse-registry';
import type { SecretRequest } from '../aws/token';
import { CACHE_VERSION, type CacheScope } from './cache-entry';
import { sha256Hex as sha256 } from './sha256';
import type { AwsIdentity } from '../aws/aws-identity';

/** What the identity is computed from; `stamp` reads a file's change marker (I/O passed in). */
interface IdentityInput {
  readonly env: Env;
  readonly home: string;
  /** e.g. `mtime:size` of a file, or '' when it does not exist. */
  readonly stamp: (path: string) => string;
}

// The variables that select credentials in each link of the chain. All present ones count, not
// just the first link's: the SDK skips environment keys when AWS_PROFILE is set, for one, and
// which profile answers depends on file content we do not parse on the hot path.
const SELECTORS: Readonly<Record<string, readonly string[]>> = {
  environment: ['AWS_ACCESS_KEY_ID'],
  'web-identity': ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_SESSION_NAME'],
  container: [
    // The relative URI is a per-task capability and the token a secret: both only ever hashed.
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  ],
};
// A token minted by another endpoint (a proxy, a test fake) must not be served for the real one.
// STS selects the credentials themselves wherever a role is assumed: web identity, a profile's
// role_arn, a route's roleArn.
const ENDPOINTS = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_ECR',
  'AWS_ENDPOINT_URL_ECR_PUBLIC',
  'AWS_ENDPOINT_URL_STS',
];
/** Where a Secrets Manager login comes from: another endpoint's answer is another login. */
const SECRETS_ENDPOINTS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SECRETS_MANAGER'];

/** Hashes what selects the credentials; equal inputs give equal identities. */
export function credentialIdentity(input: IdentityInput): string {
  const { env } = input;
  const parts: string[] = [];
  for (const source of credentialSources(env)) {
    if (!source.configured) continue;
    parts.push(`source=${source.name}`);
    for (const name of SELECTORS[source.name] ?? []) {
      const value = nonEmpty(env[name]);
      if (value !== undefined) parts.push(`${name}=${value}`);
    }
  }
  // Shared config is consulted by every chain (the "default" profile when none is named). Its
  // files' change markers make an edited profile (another role, new keys) a new identity.
  const configFile = nonEmpty(env['AWS_CONFIG_FILE']) ?? join(input.home, '.aws', 'config');
  const credentialsFile =
    nonEmpty(env['AWS_SHARED_CREDENTIALS_FILE']) ?? join(input.home, '.aws', 'credentials');
  parts.push(
    `profile=${nonEmpty(env['AWS_PROFILE']) ?? 'default'}`,
    `config=${configFile}@${input.stamp(configFile)}`,
    `credentials=${credentialsFile}@${input.stamp(credentialsFile)}`,
  );
  parts.push(...endpointsOf(env, ENDPOINTS));
  return sha256(parts.join('\n'));
}

/** `<name>=<value>` of each endpoint override among `names` that is set. */
function endpointsOf(env: Env, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const value = nonEmpty(env[name]);
    return value === undefined ? [] : [`${name}=${value}`];
  });
}

/** The scope (partition, region, service, identity) of a registry's token. */
export function scopeFor(registry: EcrRegistry, identity: string): CacheScope {
  return { ...tokenService(registry), identity };
}

/**
 * The identity of a route's answers: the chain's identity, combined with the route's profile and
 * role when it names them, so two routes never share a token. The default route keeps the chain's
 * identity unchanged (caches written before routes existed stay valid).
 */
export function routeIdentity(base: string, identity: AwsIdentity): string {
  const { profile, roleArn, externalId, sessionName, webIdentity } = identity;
  if (profile === undefined && roleArn === undefined) return base;
  return sha256(
    JSON.stringify([
      base,
      profile ?? null,
      roleArn ?? null,
      externalId ?? null,
      sessionName ?? null,
      // Whom a service-account token names (never the token): see docs/kubelet.md. Only then, so
      // the identities of existing entries keep their hashes.
      ...(webIdentity ? [webIdentity.subject] : []),
    ]),
  );
}

/**
 * The scope of a Secrets Manager login: the secret, its region, how long it may be kept and the
 * endpoint that answers count (`base` already holds what selects the credentials).
 */
export function secretScopeFor(request: SecretRequest, base: string, env: Env): CacheScope {
  const arn = /^arn:([a-z-]+):secretsmanager:([a-z0-9-]+):/.exec(request.secretId);
  const identity = routeIdentity(base, request.identity);
  const key: unknown[] = [identity, request.secretId, request.region ?? null, request.cacheSeconds];
  const endpoints = endpointsOf(env, SECRETS_ENDPOINTS);
  // Without an override the key is what it was, so entries cached before stay valid.
  if (endpoints.length > 0) key.push(endpoints);
  return {
    partition: arn?.[1] ?? 'aws',
    region: arn?.[2] ?? request.region ?? 'configured',
    service: 'secrets-manager',
    identity: sha256(JSON.stringify(key)),
  };
}

/** The cache file name of a scope: a hash, so nothing about the identity shows in a listing. */
export function entryFileName(scope: CacheScope): string {
  const key = [CACHE_VERSION, scope.partition, scope.region, scope.service, scope.identity];
  return `${sha256(key.join('|')).slice(0, 40)}.json`;
}
