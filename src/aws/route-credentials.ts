/**
 * The AWS credentials a route's calls are signed with (docs/universal-mode.md): the default chain or the route's
 * profile, then, when the route names a role, that role assumed through STS of the registry's own
 * region (and so its partition; FIPS for a FIPS registry). SDK-free: the calls go through the lazily loaded AwsSdk.
 */
import type { CallContext } from '../call-context';
import { notFound } from '../errors';
import { PRODUCT } from '../product';
import type { AwsCredentials, AwsSdk } from './aws-sdk';
import type { ChainDiagnostics } from './chain-diagnostics';
import { isNoCredentialsError } from './classify-error';
import { describeAwsError, describeCredentialError, type ErrorContext } from './describe-error';
import { hasEndpointOverride } from './endpoint-override';
import type { AgentChoice } from './http-agents';
import type { AwsIdentity } from './aws-identity';
import { webIdentityCredentials } from './web-identity-credentials';

/** What routeCredentials() needs: the call, the SDK, the route's identity and where errors say. */
export interface RouteCredentialsOptions {
  readonly sdk: AwsSdk;
  readonly call: CallContext;
  readonly identity: AwsIdentity;
  /** The region of the chain's own calls and of STS. */
  readonly region: string;
  /** The registry is a FIPS one: STS is called at its FIPS endpoint too. */
  readonly fips: boolean;
  readonly choice: AgentChoice;
  readonly diagnostics: ChainDiagnostics;
  /** The action the credentials are for, where it is called, and why sources failed. */
  readonly errorContext: () => ErrorContext;
  /** No credentials at all is not-found (ECR Public: anonymous pulls work). */
  readonly anonymousWithoutCredentials: boolean;
}

/** Resolves the base credentials, then assumes the route's role if it names one. */
export async function routeCredentials(options: RouteCredentialsOptions): Promise<AwsCredentials> {
  const { sdk, call, identity, region, choice } = options;
  // A service-account token is the whole proof of identity: no base credentials (docs/kubelet.md).
  if (identity.webIdentity && identity.roleArn) {
    return webIdentityCredentials(
      options,
      { ...identity, roleArn: identity.roleArn },
      identity.webIdentity,
    );
  }
  const { profile } = identity;
  call.progress.step = profile
    ? `getting AWS credentials from profile "${profile}"`
    : 'getting AWS credentials from the default credential chain';
  let credentials: AwsCredentials;
  try {
    credentials = await sdk.resolveCredentials({
      agents: choice.agents,
      deadline: call.deadline,
      signal: call.signal,
      logger: call.logger,
      region,
      ...(profile ? { profile } : {}),
      observe: (line) => options.diagnostics.observe(line),
    });
  } catch (error) {
    if (options.anonymousWithoutCredentials && isNoCredentialsError(error)) {
      call.logger.debug(
        `no AWS credentials, answering not-found: ${describeAwsError(error, options.errorContext()).message}`,
      );
      throw notFound();
    }
    throw describeCredentialError(error, {
      ...options.errorContext(),
      source: profile ? `profile "${profile}"` : options.diagnostics.currentLabel(),
    });
  }
  if (!identity.roleArn) return credentials;
  return assumeRouteRole(options, { ...identity, roleArn: identity.roleArn }, credentials);
}

/**
 * Assumes the route's role with `credentials` through STS of `region` (its FIPS endpoint for a
 * FIPS registry, unless an endpoint override decides); a failure is one CREDENTIALS line naming
 * the role and where STS was called. `onEndpoint` hears the STS endpoint (doctor shows it).
 */
export async function assumeRouteRole(
  options: Pick<
    RouteCredentialsOptions,
    'sdk' | 'call' | 'region' | 'fips' | 'choice' | 'errorContext'
  >,
  identity: AwsIdentity & { readonly roleArn: string },
  credentials: AwsCredentials,
  onEndpoint: (endpoint: string) => void = () => undefined,
): Promise<AwsCredentials> {
  const { sdk, call, region, choice } = options;
  const { roleArn } = identity;
  let endpoint = '';
  call.progress.step = `assuming role ${roleArn} with STS in ${region}`;
  try {
    return await sdk.assumeRole({
      agents: choice.agents,
      deadline: call.deadline,
      signal: call.signal,
      logger: call.logger,
      credentials,
      region,
      // An endpoint override decides alone: the SDK refuses FIPS together with one.
      useFipsEndpoint: options.fips && !hasEndpointOverride(call.env, 'STS'),
      useDualstackEndpoint: false,
      roleArn,
      sessionName: identity.sessionName ?? PRODUCT,
      ...(identity.externalId !== undefined ? { externalId: identity.externalId } : {}),
      onRequest: (value) => {
        endpoint = value;
        onEndpoint(value);
        call.progress.step = `calling sts:AssumeRole at ${value}`;
      },
    });
  } catch (error) {
    const where = endpoint ? ` at ${endpoint}${choice.via()}` : ` in ${region}`;
    throw describeCredentialError(error, {
      ...options.errorContext(),
      source: `sts:AssumeRole of ${roleArn}${where}`,
    });
  }
}
