/**
 * Obtains a registry password from ECR or ECR Public with the route's credentials (the SDK's
 * default chain, a profile, and/or an assumed role: route-credentials.ts). The
 * region and partition come from the registry host, never from AWS_REGION; FIPS and dual-stack
 * hosts select the matching API endpoints. SDK-free: the calls go through the lazily loaded
 * AwsSdk, the agents come from http-agents.ts, and what fails is described here.
 */
import type { CallContext } from '../call-context';
import type { AwsCredentials, AwsSdk, LoadSdk } from './aws-sdk';
import { decodeToken } from './decode-token';
import { describeAwsError } from './describe-error';
import { hasEndpointOverride } from './endpoint-override';
import { chooseAgents, type AgentChoice } from './http-agents';
import { routeCredentials } from './route-credentials';
import type { EcrToken, TokenRequest } from './token';
import { ThrottledUntilBound, waitOutThrottling } from './wait-out-throttling';

const PUBLIC_REGION = 'us-east-1';

/** Fetches a fresh token for the request's registry, loading the SDK with `loadSdk`. */
export async function fetchToken(request: TokenRequest, loadSdk: LoadSdk): Promise<EcrToken> {
  const { registry } = request;
  const region = registry.kind === 'private' ? registry.region : PUBLIC_REGION;
  const action =
    registry.kind === 'private' ? 'ecr:GetAuthorizationToken' : 'ecr-public:GetAuthorizationToken';
  const choice = await chooseAgents(request.env);
  try {
    request.progress.step = 'loading the AWS SDK';
    const sdk = await loadSdk();
    // Credentials first, on their own: the API call's attempts are then sized to the time left.
    const signing = await routeCredentials({
      sdk,
      call: request,
      identity: request.identity,
      region,
      fips: registry.kind === 'private' && registry.fips,
      choice,
      action,
      // Anonymous pulls work on ECR Public: no credentials at all is not an error there.
      anonymousWithoutCredentials: registry.kind === 'public',
    });
    let endpoint: string | undefined;
    const call = () =>
      callApi(
        sdk,
        request,
        choice,
        signing.credentials,
        region,
        (value) => {
          endpoint = value;
          request.progress.step = `calling GetAuthorizationToken at ${value}`;
        },
        // Throttling comes back to us after one attempt: waited out below, or not at all.
        { retryThrottling: false },
      );
    try {
      // A caller that still holds a usable token answers with it at once rather than wait.
      const answer = request.hasFallback
        ? await call()
        : await waitOutThrottling({
            call,
            deadline: request.deadline,
            signal: request.signal,
            onPause: (ms) => {
              request.progress.step = `waiting ${(ms / 1000).toFixed(1)} s to call GetAuthorizationToken again at ${endpoint ?? region} (throttled)`;
            },
          });
      return decodeToken(answer);
    } catch (error) {
      const throttled = error instanceof ThrottledUntilBound;
      throw describeAwsError(throttled ? error.last : error, {
        ...signing.errorContext(),
        ...(endpoint ? { endpoint: `${endpoint}${choice.via()}` } : {}),
        ...(throttled ? { throttledTries: error.tries } : {}),
      });
    }
  } finally {
    choice.destroy();
  }
}

/**
 * GetAuthorizationToken of the registry's service, with the endpoint variants its host asks for.
 * The SDK retries a throttled answer unless `retryThrottling` is false (then the caller waits it
 * out, or reports it).
 */
export function callApi(
  sdk: AwsSdk,
  request: Omit<TokenRequest, 'identity'>,
  choice: AgentChoice,
  credentials: AwsCredentials,
  region: string,
  onRequest: (endpoint: string) => void,
  options: { readonly retryThrottling?: boolean } = {},
): ReturnType<AwsSdk['getAuthorizationToken']> {
  const { registry } = request;
  const overridden = hasEndpointOverride(
    request.env,
    registry.kind === 'private' ? 'ECR' : 'ECR_PUBLIC',
  );
  return sdk.getAuthorizationToken({
    ...callOptions(request, choice),
    service: registry.kind === 'private' ? 'ecr' : 'ecr-public',
    credentials,
    region,
    // An endpoint override decides alone: the SDK refuses FIPS or dual-stack together with one.
    useFipsEndpoint: !overridden && registry.kind === 'private' && registry.fips,
    useDualstackEndpoint: !overridden && registry.dualStack,
    onRequest,
    ...(options.retryThrottling === undefined ? {} : { retryThrottling: options.retryThrottling }),
  });
}

function callOptions(request: CallContext, choice: AgentChoice) {
  return {
    agents: choice.agents,
    deadline: request.deadline,
    signal: request.signal,
    logger: request.logger,
  };
}
