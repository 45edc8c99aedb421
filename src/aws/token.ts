/** The types shared by the token fetcher and its callers; no SDK import here. */
import type { Env } from '../config/load-config';
import type { Logger } from '../log';
import type { PrivateRegistry, PublicRegistry } from '../registry/parse-registry';

/** A registry password as ECR issues it. */
export interface EcrToken {
  readonly username: string;
  readonly password: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** The registry endpoint ECR named in the answer (private ECR only). */
  readonly proxyEndpoint?: string;
}

/** What the caller is doing right now, so a timeout can say what it was waiting for. */
export interface Progress {
  step: string;
}

/** Everything one token request needs. */
export interface TokenRequest {
  readonly registry: PrivateRegistry | PublicRegistry;
  readonly env: Env;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which everything must be done. */
  readonly deadline: number;
  readonly progress: Progress;
  /** A named profile to use instead of the default chain's choice (per-registry identity). */
  readonly profile?: string;
}
