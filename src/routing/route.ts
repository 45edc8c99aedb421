/**
 * Universal mode (docs/universal-mode.md): what the helper does for one registry host. Pure data,
 * written in the config file's entries, decided for a host by resolve-route.ts and carried out by
 * the actions.
 */
import type { AwsIdentity } from '../aws/aws-identity';
import type { SecretRequest } from '../aws/token';
import type { EcrRegistry } from '../registry/parse-registry';
import type { StoreName } from '../stores/credential-store';

/** What to do for one host. */
export type Route =
  /** An ECR or ECR Public host: mint a token with the identity. */
  | { readonly kind: 'ecr'; readonly registry: EcrRegistry; readonly identity: AwsIdentity }
  /** A proxy or pull-through cache in front of ECR: the target registry's token, asked-for URL. */
  | { readonly kind: 'alias'; readonly target: EcrRegistry; readonly identity: AwsIdentity }
  /** User name and password from a Secrets Manager secret `{"username","password"}`. */
  | ({ readonly kind: 'secrets-manager' } & Omit<SecretRequest, 'host'>)
  /** Not-found at once, asking no one. */
  | { readonly kind: 'anonymous' }
  /** Delegated to a store: a `helper` route, or the fallback for every other host. */
  | { readonly kind: 'store'; readonly store: StoreName };

/**
 * The Route a `registries` entry gives its hosts. An entry with only an AWS identity is an `ecr`
 * route whose registry is the host asked about (it must be an ECR host): known only then.
 */
export type EntryRoute =
  Exclude<Route, { kind: 'ecr' }> | Omit<Extract<Route, { kind: 'ecr' }>, 'registry'>;
