/**
 * Obtains a registry password from ECR or ECR Public with the route's credentials (the SDK's
 * default chain, a profile, and/or an assumed role: route-credentials.ts). The
 * region and partition come from the registry host, never from AWS_REGION; FIPS and dual-stack
 * hosts select the matching API endpoints. SDK-free: the calls go through the lazily loaded
 * AwsSdk, the agents come from http-agents.ts, and what fails is described here.
 */
import type { Env } from '../env';
import { tokenService, type EcrRegistry } from '../registry/parse-registry';
import type { AwsSdk, LoadSdk, ServiceCallOptions } from './aws-sdk';
import { decodeToken } from './decode-token';
import { hasEndpointOverride } from './endpoint-override';
import { callAsRoute } from './route-credentials';
import type { EcrToken, TokenRequest } from './token';
import { waitOutThrottling } from './wait-out-throttling';

/** Fetches a fresh token for the request's registry, loading the SDK with `loadSdk`. */
export async function fetchToken(request: TokenRequest, loadSdk: LoadSdk): Promise<EcrToken> {
  const { registry } = request;
  const { region, action } = tokenApi(registry);
  return callAsRoute(
    {
      call: request,
      loadSdk,
      identity: request.identity,
      region: async () => region,
      fips: registry.kind === 'private' && registry.fips,
      action,
      // Anonymous pulls work on ECR Public: no credentials at all is not an error there.
      anonymousWithoutCredentials: registry.kind === 'public',
      calls: 'GetAuthorizationToken',
    },
    async (sdk, call, endpoint) => {
      const once = () => requestToken(sdk, registry, request.env, call);
      // A caller that still holds a usable token answers with it at once rather than wait.
      const answer = request.hasFallback
        ? await once()
        : await waitOutThrottling({
            call: once,
            deadline: request.deadline,
            signal: request.signal,
            onPause: (ms) => {
              request.progress.step = `waiting ${(ms / 1000).toFixed(1)} s to call GetAuthorizationToken again at ${endpoint() ?? region} (throttled)`;
            },
          });
      return decodeToken(answer);
    },
  );
}

/** The region and the action (`ecr:GetAuthorizationToken`) of a registry's token. */
export function tokenApi(registry: EcrRegistry): { region: string; action: string } {
  const { region, service } = tokenService(registry);
  return { region, action: `${service}:GetAuthorizationToken` };
}

/**
 * GetAuthorizationToken of the registry's service, with the endpoint variants its host asks for;
 * a throttled answer comes back at once (see AwsSdk), for the caller to wait out or report.
 */
export function requestToken(
  sdk: AwsSdk,
  registry: EcrRegistry,
  env: Env,
  call: ServiceCallOptions,
): ReturnType<AwsSdk['getAuthorizationToken']> {
  const overridden = hasEndpointOverride(env, registry.kind === 'private' ? 'ECR' : 'ECR_PUBLIC');
  return sdk.getAuthorizationToken({
    ...call,
    service: tokenService(registry).service,
    // An endpoint override decides alone: the SDK refuses FIPS or dual-stack together with one.
    useFipsEndpoint: !overridden && registry.kind === 'private' && registry.fips,
    useDualstackEndpoint: !overridden && registry.dualStack,
  });
}
