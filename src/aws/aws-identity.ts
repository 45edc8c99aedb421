/** The AWS identity a route signs with: pure vocabulary shared by routing, the cache and aws/. */

/**
 * Which AWS identity signs a route's calls: the default credential chain, a named profile, and/or
 * a role assumed on top of them (cross-account pulls). Empty = the default chain.
 */
export interface AwsIdentity {
  readonly profile?: string;
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly sessionName?: string;
  /**
   * A Kubernetes service-account token (docs/kubelet.md): `roleArn` is then assumed with it
   * (STS AssumeRoleWithWebIdentity) instead of through the base credentials.
   */
  readonly webIdentity?: WebIdentity;
}

/** A web identity token and whom it names. */
export interface WebIdentity {
  /** The token itself: a secret, never logged, never part of a cache key. */
  readonly token: string;
  /**
   * Who the token names (issuer, subject, service-account uid), or a hash of the token when it
   * cannot be read: part of the cache identity, so one service account never gets a token that
   * STS gave another, even for the same role.
   */
  readonly subject: string;
}
