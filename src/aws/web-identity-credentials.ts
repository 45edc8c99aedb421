/**
 * The credentials of a role assumed with a Kubernetes service-account token (docs/kubelet.md):
 * STS AssumeRoleWithWebIdentity in the registry's own region (FIPS for a FIPS registry), with no
 * base credentials at all. A failure is one CREDENTIALS line naming the role and where STS was
 * called, never the token. SDK-free: the call goes through the lazily loaded AwsSdk.
 */
import type { CallContext } from '../call-context';
import { PRODUCT } from '../product';
import type { AwsCredentials, AwsSdk } from './aws-sdk';
import type { WebIdentity } from './aws-identity';
import { describeCredentialError, type ErrorContext } from './describe-error';
import { hasEndpointOverride } from './endpoint-override';
import type { AgentChoice } from './http-agents';

/** What assuming the role needs: the call, the SDK, where, and the role and token. */
export interface WebIdentityOptions {
  readonly sdk: AwsSdk;
  readonly call: CallContext;
  /** The region of STS: the registry's. */
  readonly region: string;
  readonly fips: boolean;
  readonly choice: AgentChoice;
  readonly roleArn: string;
  readonly sessionName?: string;
  readonly webIdentity: WebIdentity;
  /** The action the credentials are for and where, for a failure's message. */
  readonly errorContext: () => ErrorContext;
}

/** Assumes the role with the token: its credentials, and the STS endpoint that answered. */
export async function webIdentityCredentials(
  options: WebIdentityOptions,
): Promise<{ credentials: AwsCredentials; endpoint: string }> {
  const { sdk, call, region, choice, roleArn, webIdentity } = options;
  call.logger.addSecret(webIdentity.token);
  let endpoint = '';
  call.progress.step = `assuming role ${roleArn} with the service account's token at STS in ${region}`;
  try {
    const credentials = await sdk.assumeRoleWithWebIdentity({
      agents: choice.agents,
      deadline: call.deadline,
      signal: call.signal,
      logger: call.logger,
      region,
      // An endpoint override decides alone: the SDK refuses FIPS together with one.
      useFipsEndpoint: options.fips && !hasEndpointOverride(call.env, 'STS'),
      useDualstackEndpoint: false,
      roleArn,
      sessionName: options.sessionName ?? PRODUCT,
      webIdentityToken: webIdentity.token,
      onRequest: (value) => {
        endpoint = value;
        call.progress.step = `calling sts:AssumeRoleWithWebIdentity at ${value}`;
      },
    });
    return { credentials, endpoint };
  } catch (error) {
    const where = endpoint ? ` at ${endpoint}${choice.via()}` : ` in ${region}`;
    throw describeCredentialError(error, {
      ...options.errorContext(),
      source: `sts:AssumeRoleWithWebIdentity of ${roleArn} with the pod's service-account token${where}`,
    });
  }
}
