/**
 * Universal mode (SPEC §6): what the helper does for one registry host. Pure data, decided by the
 * route resolver from the config file and the host, and carried out by the actions.
 */
import type { PrivateRegistry, PublicRegistry } from '../registry/parse-registry';

/** A registry ECR tokens are minted for. */
export type EcrRegistry = PrivateRegistry | PublicRegistry;

/**
 * Which AWS identity signs a route's calls: the default credential chain, a named profile, and/or
 * a role assumed on top of them (cross-account pulls). Empty = the default chain.
 */
export interface AwsIdentity {
  readonly profile?: string;
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly sessionName?: string;
}

/** Where non-ECR credentials live: the built-in file store, nowhere, or another helper. */
export type StoreName =
  | { readonly kind: 'file' }
  | { readonly kind: 'none' }
  | { readonly kind: 'helper'; readonly name: string };

/** What to do for one host. */
export type Route =
  /** An ECR or ECR Public host: mint a token with the identity. */
  | { readonly kind: 'ecr'; readonly registry: EcrRegistry; readonly identity: AwsIdentity }
  /** A proxy or pull-through cache in front of ECR: the target registry's token, asked-for URL. */
  | { readonly kind: 'alias'; readonly target: EcrRegistry; readonly identity: AwsIdentity }
  /** User name and password from a Secrets Manager secret `{"username","password"}`. */
  | {
      readonly kind: 'secrets-manager';
      readonly secretId: string;
      readonly region?: string;
      readonly identity: AwsIdentity;
      readonly cacheSeconds: number;
    }
  /** Not-found at once, asking no one. */
  | { readonly kind: 'anonymous' }
  /** Delegated to a store: a `helper` route, or the fallback for every other host. */
  | { readonly kind: 'store'; readonly store: StoreName };
