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
}
