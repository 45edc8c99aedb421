/** The types shared by the token fetcher and its callers; no SDK import here. */
import type { CallContext } from '../call-context';
import type { PrivateRegistry, PublicRegistry } from '../registry/parse-registry';

/** A registry password as ECR issues it. */
export interface EcrToken {
  readonly username: string;
  readonly password: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Answers a token for an ECR registry, from wherever it can (the API, or the cache in front). */
export interface TokenSource {
  getToken(registry: PrivateRegistry | PublicRegistry): Promise<EcrToken>;
  /** Live server URLs -> usernames known without a network call (for `list`). */
  listKnown(): Promise<Record<string, string>>;
}

/** Everything one token request needs: the call's context and the registry. */
export interface TokenRequest extends CallContext {
  readonly registry: PrivateRegistry | PublicRegistry;
}
