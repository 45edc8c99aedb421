/**
 * The AWS credentials a route's calls are signed with (docs/universal-mode.md): the default chain
 * or the route's profile, watched so that a failure or a wait names the source, then, when the
 * route names a role, that role assumed through STS of the registry's own region (and so its
 * partition; FIPS for a FIPS registry); with a pod's service-account token (docs/kubelet.md), the
 * role is assumed with the token alone. The one set-up of `get`'s AWS calls (callAsRoute(), for
 * fetch-token.ts and fetch-secret.ts) and of doctor's aws-credentials check. SDK-free: the calls
 * go through the lazily loaded AwsSdk.
 */
import type { CallContext } from '../call-context';
import { notFound } from '../errors';
import { PRODUCT } from '../product';
import type {
  AssumeRoleWithWebIdentityOptions,
  AwsCredentials,
  AwsSdk,
  HttpAgents,
  LoadSdk,
  SdkCallOptions,
  ServiceCallOptions,
} from './aws-sdk';
import type { AwsIdentity } from './aws-identity';
import { createChainDiagnostics } from './chain-diagnostics';
import { isNoCredentialsError } from './classify-error';
import { describeAwsError, describeCredentialError, type ErrorContext } from './describe-error';
import { hasEndpointOverride } from './endpoint-override';
import { chooseAgents, type AgentChoice } from './http-agents';

/** What resolving a route's credentials needs: the call, the SDK, the identity, where and why. */
export interface RouteCredentialsOptions {
  readonly sdk: AwsSdk;
  readonly call: CallContext;
  readonly identity: AwsIdentity;
  /** The region of the chain's own calls and of STS. */
  readonly region: string;
  /** The registry is a FIPS one: STS is called at its FIPS endpoint too. */
  readonly fips: boolean;
  readonly choice: AgentChoice;
  /** The call the credentials are for, named in failures (`ecr:GetAuthorizationToken`). */
  readonly action: string;
}

/** The route's credentials, where they came from, and the context of a later failure. */
interface RouteCredentials {
  /** What the route's calls are signed with: the role's when the route names one. */
  readonly credentials: AwsCredentials;
  /** The chain's or the profile's (the same as `credentials` without a role). */
  readonly base: AwsCredentials;
  /** Which source gave `base`: `profile "dev"`, one source of the chain, or the chain. */
  readonly source: string;
  /** The STS endpoint the role was assumed at (when there is a role). */
  readonly stsEndpoint?: string;
  /** The action, the region, and why the sources the environment configures failed. */
  errorContext(): ErrorContext;
}

/** The chain (or the profile) gave no credentials: the error, and where to say it happened. */
interface NoRouteCredentials {
  readonly error: unknown;
  readonly context: ErrorContext & { readonly source: string };
}

/**
 * Resolves the route's credentials. A failure of the chain comes back as NoRouteCredentials
 * (doctor shows its hint apart); a role that cannot be assumed throws one CREDENTIALS line naming
 * the role and where STS was called.
 */
export async function resolveRouteCredentials(
  options: RouteCredentialsOptions,
): Promise<RouteCredentials | NoRouteCredentials> {
  const { sdk, call, identity, region, choice } = options;
  // A service-account token is the whole proof of identity: no base credentials (docs/kubelet.md).
  if (identity.webIdentity && identity.roleArn) {
    const { token } = identity.webIdentity;
    call.logger.addSecret(token);
    const errorContext = (): ErrorContext => ({ action: options.action, region, env: call.env });
    const source = "the pod's service-account token";
    const assumed = await assumeRole(options, identity.roleArn, errorContext, source, (sts) =>
      sdk.assumeRoleWithWebIdentity({ ...sts, webIdentityToken: token }),
    );
    return { ...assumed, base: assumed.credentials, source, errorContext };
  }
  const { profile } = identity;
  const diagnostics = createChainDiagnostics(call.env, (source) => {
    call.progress.step = `waiting for AWS credentials from ${source.label}`;
  });
  const errorContext = (): ErrorContext => {
    const failures = diagnostics.describeConfiguredFailures();
    return {
      action: options.action,
      region,
      env: call.env,
      ...(failures ? { credentialFailures: failures } : {}),
    };
  };
  call.progress.step = profile
    ? `getting AWS credentials from profile "${profile}"`
    : 'getting AWS credentials from the default credential chain';
  let base: AwsCredentials;
  try {
    base = await sdk.resolveCredentials({
      ...sdkCallOptions(call, choice.agents),
      region,
      ...(profile ? { profile } : {}),
      observe: (line) => diagnostics.observe(line),
    });
  } catch (error) {
    const source = profile ? `profile "${profile}"` : diagnostics.currentLabel();
    return { error, context: { ...errorContext(), source } };
  }
  const source = profile
    ? `profile "${profile}"`
    : diagnostics.current() === undefined
      ? 'the default credential chain'
      : diagnostics.currentLabel();
  const resolved = { credentials: base, base, source, errorContext };
  if (!identity.roleArn) return resolved;
  const { externalId } = identity;
  const assumed = await assumeRole(options, identity.roleArn, errorContext, undefined, (sts) =>
    sdk.assumeRole({
      ...sts,
      credentials: base,
      ...(externalId !== undefined ? { externalId } : {}),
    }),
  );
  return { ...resolved, ...assumed };
}

/**
 * Assumes `roleArn` with one STS call in the registry's region (FIPS for a FIPS registry):
 * AssumeRole signed with the base credentials, or AssumeRoleWithWebIdentity with the pod's token
 * (`tokenName` says whose). A failure is one CREDENTIALS line naming the role and where STS was called.
 */
async function assumeRole(
  options: RouteCredentialsOptions,
  roleArn: string,
  errorContext: () => ErrorContext,
  tokenName: string | undefined,
  send: (
    sts: Omit<AssumeRoleWithWebIdentityOptions, 'webIdentityToken'>,
  ) => Promise<AwsCredentials>,
): Promise<{ credentials: AwsCredentials; stsEndpoint: string }> {
  const { call, region, choice } = options;
  const api = tokenName ? 'sts:AssumeRoleWithWebIdentity' : 'sts:AssumeRole';
  const by = tokenName ? ` with ${tokenName}` : '';
  let endpoint = '';
  call.progress.step = `assuming role ${roleArn}${by} at STS in ${region}`;
  try {
    const credentials = await send({
      ...sdkCallOptions(call, choice.agents),
      region,
      // An endpoint override decides alone: the SDK refuses FIPS together with one.
      useFipsEndpoint: options.fips && !hasEndpointOverride(call.env, 'STS'),
      roleArn,
      sessionName: options.identity.sessionName ?? PRODUCT,
      onRequest: (value) => {
        endpoint = value;
        call.progress.step = `calling ${api} at ${value}`;
      },
    });
    return { credentials, stsEndpoint: endpoint };
  } catch (error) {
    const where = endpoint ? ` at ${endpoint}${choice.via()}` : ` in ${region}`;
    throw describeCredentialError(error, {
      ...errorContext(),
      source: `${api} of ${roleArn}${by}${where}`,
    });
  }
}

/**
 * The route's credentials for a call that needs them: no credentials is one line naming the
 * sources tried, or not-found with `anonymousWithoutCredentials` (ECR Public pulls work without).
 */
export async function routeCredentials(
  options: RouteCredentialsOptions & { readonly anonymousWithoutCredentials: boolean },
): Promise<RouteCredentials> {
  const resolved = await resolveRouteCredentials(options);
  if (!('error' in resolved)) return resolved;
  const { error, context } = resolved;
  if (options.anonymousWithoutCredentials && isNoCredentialsError(error)) {
    options.call.logger.debug(
      `no AWS credentials, answering not-found: ${describeAwsError(error, context).message}`,
    );
    throw notFound();
  }
  throw describeCredentialError(error, context);
}

/**
 * One AWS API call of `get` as the route: the agents chosen, the SDK loaded, the route's
 * credentials resolved first and on their own (the call's attempts are then sized to the time
 * left), then `send` with what every service call takes. Its failure is worded naming the endpoint
 * it reached, and the proxy it went through.
 */
export async function callAsRoute<T>(
  options: Omit<RouteCredentialsOptions, 'sdk' | 'region' | 'choice'> & {
    readonly loadSdk: LoadSdk;
    /** The region of the call and of the chain's own calls (it may take the SDK to know). */
    readonly region: (sdk: AwsSdk) => Promise<string>;
    readonly anonymousWithoutCredentials: boolean;
    /** What the progress step says is called: `calling <calls> at <endpoint>`. */
    readonly calls: string;
  },
  send: (sdk: AwsSdk, call: ServiceCallOptions, endpoint: () => string | undefined) => Promise<T>,
): Promise<T> {
  const { call } = options;
  const choice = await chooseAgents(call.env);
  try {
    call.progress.step = 'loading the AWS SDK';
    const sdk = await options.loadSdk();
    const region = await options.region(sdk);
    const signing = await routeCredentials({ ...options, sdk, region, choice });
    let endpoint: string | undefined;
    const onRequest = (value: string): void => {
      endpoint = value;
      call.progress.step = `calling ${options.calls} at ${value}`;
    };
    try {
      const common = { ...sdkCallOptions(call, choice.agents), credentials: signing.credentials };
      return await send(sdk, { ...common, region, onRequest }, () => endpoint);
    } catch (error) {
      throw describeAwsError(error, {
        ...signing.errorContext(),
        ...(endpoint ? { endpoint: `${endpoint}${choice.via()}` } : {}),
      });
    }
  } finally {
    choice.destroy();
  }
}

/** What every SDK call of `call` takes, through `agents`. */
export function sdkCallOptions(
  call: Pick<CallContext, 'deadline' | 'signal' | 'logger'>,
  agents: HttpAgents,
): SdkCallOptions {
  return { agents, deadline: call.deadline, signal: call.signal, logger: call.logger };
}
