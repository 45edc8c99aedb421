/**
 * The credentials of a role assumed with a Kubernetes service-account token (docs/kubelet.md):
 * STS AssumeRoleWithWebIdentity in the registry's own region (FIPS for a FIPS registry), with no
 * base credentials at all. A failure is one CREDENTIALS line naming the role and where STS was
 * called, never the token. SDK-free: the call goes through the lazily loaded AwsSdk.
 */
import { PRODUCT } from '../product';
import type { AwsCredentials } from './aws-sdk';
import type { WebIdentity } from './aws-identity';
import { describeCredentialError } from './describe-error';
import { hasEndpointOverride } from './endpoint-override';
import type { RouteCredentialsOptions } from './route-credentials';

/** Assumes `roleArn` with the token. */
export async function webIdentityCredentials(
  options: Pick<
    RouteCredentialsOptions,
    'sdk' | 'call' | 'region' | 'fips' | 'choice' | 'errorContext'
  >,
  identity: { readonly roleArn: string; readonly sessionName?: string },
  webIdentity: WebIdentity,
): Promise<AwsCredentials> {
  const { sdk, call, region, choice } = options;
  const { roleArn } = identity;
  call.logger.addSecret(webIdentity.token);
  let endpoint = '';
  call.progress.step = `assuming role ${roleArn} with the service account's token at STS in ${region}`;
  try {
    return await sdk.assumeRoleWithWebIdentity({
      agents: choice.agents,
      deadline: call.deadline,
      signal: call.signal,
      logger: call.logger,
      region,
      useFipsEndpoint: options.fips && !hasEndpointOverride(call.env, 'STS'),
      useDualstackEndpoint: false,
      roleArn,
      sessionName: identity.sessionName ?? PRODUCT,
      webIdentityToken: webIdentity.token,
      onRequest: (value) => {
        endpoint = value;
        call.progress.step = `calling sts:AssumeRoleWithWebIdentity at ${value}`;
      },
    });
  } catch (error) {
    const where = endpoint ? ` at ${endpoint}${choice.via()}` : ` in ${region}`;
    throw describeCredentialError(error, {
      ...options.errorContext(),
      source: `sts:AssumeRoleWithWebIdentity of ${roleArn} with the pod's service-account token${where}`,
    });
  }
}
