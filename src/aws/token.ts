/** The types shared by the token fetcher and its callers; no SDK import here. */
import type { CallContext } from '../call-context';
import type { EcrRegistry } from '../registry/parse-registry';
import type { AwsIdentity } from './aws-identity';

/** A registry password as ECR issues it. */
export interface EcrToken {
  readonly username: string;
  readonly password: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /**
   * Epoch milliseconds from which the token cache fetches a new one (its refresh point; past it,
   * the token is served only while stale). Absent when it came from no cache.
   */
  readonly refreshAt?: number;
}

/** A registry login kept in AWS Secrets Manager as `{"username","password"}` (docs/universal-mode.md). */
export interface SecretRequest {
  /** The registry host it is for (logs, `hosts` of its cache entry). */
  readonly host: string;
  /** The secret's ARN or name. */
  readonly secretId: string;
  /** The secret's region when its ARN does not say (else the AWS config's). */
  readonly region?: string;
  readonly identity: AwsIdentity;
  /** How long an answer may be reused; 0 = ask every time. */
  readonly cacheSeconds: number;
}

/**
 * Answers registry passwords that come from AWS: ECR tokens and Secrets Manager logins, from
 * wherever it can (the API, or the cache in front). `identity` (a route's profile or role) is
 * part of what an answer is cached under: two routes never share one.
 */
export interface TokenSource {
  /** `hasFallback`: the caller can answer with a usable token of its own if this fails. */
  getToken(
    registry: EcrRegistry,
    identity?: AwsIdentity,
    options?: { readonly hasFallback?: boolean },
  ): Promise<EcrToken>;
  /** The login in a Secrets Manager secret; `expiresAt` is when it must be read again. */
  getSecret(request: SecretRequest): Promise<EcrToken>;
  /** Live server URLs -> usernames of the given identities (default: the chain's), no network. */
  listKnown(identities?: readonly AwsIdentity[]): Promise<Record<string, string>>;
}

/** Everything one token request needs: the call's context, the registry and the identity. */
export interface TokenRequest extends CallContext {
  readonly registry: EcrRegistry;
  readonly identity: AwsIdentity;
  /**
   * The caller still holds a usable token to answer with if this fails (a cached one past its
   * refresh point): a throttled API is then reported at once, not waited out until the bound.
   */
  readonly hasFallback?: boolean;
}
