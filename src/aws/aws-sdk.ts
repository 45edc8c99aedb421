/**
 * What the lazily loaded SDK module (src/aws/sdk/) offers the rest of the helper: one function per
 * AWS operation, in SDK-free types. Only src/aws/load-sdk.ts loads it; everything else sees these
 * types. A new operation (STS AssumeRole, Secrets Manager GetSecretValue, STS GetCallerIdentity)
 * is one more member here and one more file under sdk/ that imports its client on first use, so a
 * call that never needs Secrets Manager never evaluates its client.
 */
import type { Agent } from 'node:http';
import type { Logger } from '../log';

/** The agents (proxy, custom CA) API calls go through; empty = the SDK's own. See http-agents.ts. */
export interface HttpAgents {
  readonly httpAgent?: Agent;
  readonly httpsAgent?: Agent;
}

/** AWS credentials as the SDK resolves them. Never logged, never cached on disk. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** What every SDK call needs: how to connect, how long it may take, where its chatter goes. */
export interface SdkCallOptions {
  readonly agents: HttpAgents;
  /** Epoch milliseconds by which the call must be over; attempts and timeouts are sized to it. */
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** Receives the SDK's own log lines, at debug level. */
  readonly logger: Logger;
}

/** Options of AwsSdk.resolveCredentials(). */
export interface ResolveCredentialsOptions extends SdkCallOptions {
  /** The region of the chain's own API calls (STS for web identity and assume-role, SSO). */
  readonly region: string;
  /** A named profile instead of the chain's choice. */
  readonly profile?: string;
  /** Hears every line the chain logs: the only place it says which source it tries and why. */
  readonly observe: (line: string) => void;
}

/** Options of a call to an AWS service API with given credentials. */
export interface ServiceCallOptions extends SdkCallOptions {
  readonly credentials: AwsCredentials;
  readonly region: string;
  /** The endpoint variants (default: neither). */
  readonly useFipsEndpoint?: boolean;
  readonly useDualstackEndpoint?: boolean;
  /** Hears the endpoint (`https://host[:port]`) of each request as it is sent. */
  readonly onRequest: (endpoint: string) => void;
}

/** GetAuthorizationToken's answer, as ECR and ECR Public both shape it. */
export interface AuthorizationData {
  readonly authorizationToken?: string | undefined;
  readonly expiresAt?: Date | undefined;
  readonly proxyEndpoint?: string | undefined;
}

/** Who the credentials belong to, as sts:GetCallerIdentity answers. */
export interface CallerIdentity {
  readonly account?: string | undefined;
  readonly arn?: string | undefined;
  readonly userId?: string | undefined;
}

/** Options of AwsSdk.getAuthorizationToken(). */
export interface GetAuthorizationTokenOptions extends ServiceCallOptions {
  /** The ECR API the registry is served by. */
  readonly service: 'ecr' | 'ecr-public';
}

/** Options of AwsSdk.assumeRole(): STS of `region` (its partition follows), signed with `credentials`. */
export interface AssumeRoleOptions extends ServiceCallOptions {
  readonly roleArn: string;
  readonly externalId?: string;
  readonly sessionName: string;
}

/**
 * Options of AwsSdk.assumeRoleWithWebIdentity(): STS of `region`, unsigned (the token is the proof
 * of identity, so no base credentials are involved).
 */
export interface AssumeRoleWithWebIdentityOptions extends Omit<ServiceCallOptions, 'credentials'> {
  readonly roleArn: string;
  readonly sessionName: string;
  /** The web identity token (a Kubernetes service-account token): a secret. */
  readonly webIdentityToken: string;
}

/** Options of AwsSdk.getSecretString(). */
export interface GetSecretOptions extends ServiceCallOptions {
  /** The secret's ARN or name. */
  readonly secretId: string;
}

/** The SDK-backed operations. Errors are the SDK's own; describe-error.ts turns them into text. */
export interface AwsSdk {
  /** Runs the SDK's default Node credential chain once, bounded by the deadline. */
  resolveCredentials(options: ResolveCredentialsOptions): Promise<AwsCredentials>;
  /**
   * ECR's or ECR Public's GetAuthorizationToken. A throttled answer ends the call at once, with
   * the SDK's error, for the caller to wait out (wait-out-throttling.ts) or report: the SDK would
   * retry it within a second or two, into a bucket that stays empty.
   */
  getAuthorizationToken(
    options: GetAuthorizationTokenOptions,
  ): Promise<AuthorizationData | undefined>;
  /** STS AssumeRole: temporary credentials of the role (cross-account pulls). */
  assumeRole(options: AssumeRoleOptions): Promise<AwsCredentials>;
  /** STS AssumeRoleWithWebIdentity: the role's credentials for a web identity token. */
  assumeRoleWithWebIdentity(options: AssumeRoleWithWebIdentityOptions): Promise<AwsCredentials>;
  /** Secrets Manager GetSecretValue: the secret's string (undefined for a binary secret). */
  getSecretString(options: GetSecretOptions): Promise<string | undefined>;
  /** The region of the shared AWS config for `profile` (else AWS_PROFILE, else default). */
  resolveRegion(options: { readonly profile?: string }): Promise<string | undefined>;
  /** STS GetCallerIdentity (needs no IAM permission): whose credentials these are. */
  getCallerIdentity(options: ServiceCallOptions): Promise<CallerIdentity>;
}

/** Loads the SDK module on first use (src/aws/load-sdk.ts); tests pass a fake. */
export type LoadSdk = () => Promise<AwsSdk>;
