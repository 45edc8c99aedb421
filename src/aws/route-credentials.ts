/**
 * The AWS credentials a route's calls are signed with (SPEC §6): the default chain or the route's
 * profile, then, when the route names a role, that role assumed through STS of the registry's own
 * region (and so its partition). SDK-free: the calls go through the lazily loaded AwsSdk.
 */
import type { CallContext } from '../call-context';
import { notFound } from '../errors';
import { PRODUCT } from '../product';
import type { AwsIdentity } from '../routing/route';
import type { AwsCredentials, AwsSdk } from './aws-sdk';
import type { ChainDiagnostics } from './chain-diagnostics';
import { isNoCredentialsError } from './classify-error';
import { describeAwsError, describeCredentialError, type ErrorContext } from './describe-error';
import type { AgentChoice } from './http-agents';

/** What routeCredentials() needs: the call, the SDK, the route's identity and where errors say. */
export interface RouteCredentialsOptions {
  readonly sdk: AwsSdk;
  readonly call: CallContext;
  readonly identity: AwsIdentity;
  /** The region of the chain's own calls and of STS. */
  readonly region: string;
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
  const common = {
    agents: choice.agents,
    deadline: call.deadline,
    signal: call.signal,
    logger: call.logger,
  };
  const { profile } = identity;
  call.progress.step = profile
    ? `getting AWS credentials from profile "${profile}"`
    : 'getting AWS credentials from the default credential chain';
  let credentials: AwsCredentials;
  try {
    credentials = await sdk.resolveCredentials({
      ...common,
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
  const { roleArn } = identity;
  let endpoint = '';
  call.progress.step = `assuming role ${roleArn} with STS in ${region}`;
  try {
    return await sdk.assumeRole({
      ...common,
      credentials,
      region,
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      roleArn,
      sessionName: identity.sessionName ?? PRODUCT,
      ...(identity.externalId !== undefined ? { externalId: identity.externalId } : {}),
      onRequest: (value) => {
        endpoint = value;
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
