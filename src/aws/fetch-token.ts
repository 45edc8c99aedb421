/**
 * Obtains a registry password from ECR or ECR Public with the SDK's default credential chain. The
 * region and partition come from the registry host, never from AWS_REGION; FIPS and dual-stack
 * hosts select the matching API endpoints.
 */
import { Agent as HttpsAgent } from 'node:https';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { PRODUCT } from '../config/load-config';
import { attemptBudget } from '../deadline';
import { notFound, type HelperError } from '../errors';
import { VERSION } from '../version';
import { readCaBundle } from './ca-bundle';
import { createChainDiagnostics } from './chain-diagnostics';
import { decodeToken } from './decode-token';
import {
  describeAwsError,
  describeCredentialError,
  isNoCredentialsError,
  type ErrorContext,
} from './describe-error';
import { hasEndpointOverride } from './endpoint-override';
import { proxyConfigured } from './proxy-configured';
import { resolveCredentials, type ChainAgents } from './resolve-credentials';
import { sdkLogger } from './sdk-logger';
import type { EcrToken, TokenRequest } from './token';

const PUBLIC_REGION = 'us-east-1';

/** Fetches a fresh token for the request's registry. */
export async function fetchToken(request: TokenRequest): Promise<EcrToken> {
  const { registry } = request;
  const region = registry.kind === 'private' ? registry.region : PUBLIC_REGION;
  const action =
    registry.kind === 'private' ? 'ecr:GetAuthorizationToken' : 'ecr-public:GetAuthorizationToken';
  const diagnostics = createChainDiagnostics(request.env, (source) => {
    request.progress.step = `waiting for AWS credentials from ${source.label}`;
  });
  const context = (): ErrorContext => {
    const failures = diagnostics.describeConfiguredFailures();
    return {
      action,
      region,
      env: request.env,
      ...(failures ? { credentialFailures: failures } : {}),
    };
  };
  const ca = readCaBundle(request.env);
  // Only loaded and built when a proxy variable is set: the common path keeps the SDK's agents.
  const proxyAgent = proxyConfigured(request.env)
    ? new (await import('./proxy-agent')).EnvProxyAgent({
        keepAlive: true,
        env: request.env,
        ...(ca ? { ca } : {}),
      })
    : undefined;
  const caAgent = !proxyAgent && ca ? new HttpsAgent({ keepAlive: true, ca }) : undefined;
  const agents: ChainAgents = proxyAgent
    ? { httpAgent: proxyAgent, httpsAgent: proxyAgent }
    : caAgent
      ? { httpsAgent: caAgent }
      : {};
  try {
    // Credentials first, on their own: the API call's attempts are then sized to the time left.
    request.progress.step = `getting AWS credentials from ${describeSource(request)}`;
    let credentials: AwsCredentialIdentity;
    try {
      credentials = await resolveCredentials({ request, region, diagnostics, agents });
    } catch (error) {
      // Anonymous pulls work on ECR Public: no credentials at all is not an error there.
      if (registry.kind === 'public' && isNoCredentialsError(error)) {
        request.logger.debug(
          `ECR Public without AWS credentials: ${describeAwsError(error, context()).message}`,
        );
        throw notFound();
      }
      throw describeCredentialError(error, { ...context(), source: diagnostics.currentLabel() });
    }
    return await callApi(request, credentials, agents, (error, endpoint) => {
      const via = proxyAgent?.lastProxy ? ` through proxy ${proxyAgent.lastProxy}` : '';
      return describeAwsError(error, {
        ...context(),
        ...(endpoint ? { endpoint: `${endpoint}${via}` } : {}),
      });
    });
  } finally {
    proxyAgent?.destroy();
    caAgent?.destroy();
  }
}

/** Calls GetAuthorizationToken with attempts sized to the time left. */
async function callApi(
  request: TokenRequest,
  credentials: AwsCredentialIdentity,
  agents: ChainAgents,
  describe: (error: unknown, endpoint: string | undefined) => HelperError,
): Promise<EcrToken> {
  const { registry } = request;
  const overridden = hasEndpointOverride(
    request.env,
    registry.kind === 'private' ? 'ECR' : 'ECR_PUBLIC',
  );
  const budget = attemptBudget(Math.max(1, request.deadline - Date.now()));
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: budget.connectionTimeoutMs,
    requestTimeout: budget.requestTimeoutMs,
    // Without it a request timeout only logs a warning and the call waits on (SPEC §8).
    throwOnRequestTimeout: true,
    ...agents,
  });
  const config = {
    region: registry.kind === 'private' ? registry.region : PUBLIC_REGION,
    credentials,
    logger: sdkLogger(request.logger),
    requestHandler,
    maxAttempts: budget.maxAttempts,
    // An endpoint override decides alone: the SDK refuses FIPS or dual-stack together with one.
    useFipsEndpoint: !overridden && registry.kind === 'private' && registry.fips,
    useDualstackEndpoint: !overridden && registry.dualStack,
    customUserAgent: `${PRODUCT}/${VERSION}`,
  };
  const endpoint = { value: undefined as string | undefined };
  const send = { abortSignal: request.signal };
  try {
    // Each client is imported only when used: a cold call evaluates one of them, not both.
    if (registry.kind === 'public') {
      const { ECRPUBLICClient, GetAuthorizationTokenCommand: GetPublicAuthorizationTokenCommand } =
        await import('@aws-sdk/client-ecr-public');
      const client = new ECRPUBLICClient(config);
      recordEndpoint(client, endpoint, request);
      const output = await client.send(new GetPublicAuthorizationTokenCommand({}), send);
      const data = output.authorizationData;
      return decodeToken(data);
    }
    const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const client = new ECRClient(config);
    recordEndpoint(client, endpoint, request);
    const output = await client.send(new GetAuthorizationTokenCommand({}), send);
    return decodeToken(output.authorizationData?.[0]);
  } catch (error) {
    throw describe(error, endpoint.value);
  } finally {
    // With a shared agent this destroys it too; the caller's finally does so again, harmlessly.
    requestHandler.destroy();
  }
}

function describeSource(request: TokenRequest): string {
  return request.profile ? `profile "${request.profile}"` : 'the default credential chain';
}

/** Records the host each API request goes to, for error and timeout messages. */
function recordEndpoint(
  client: ECRClient | ECRPUBLICClient,
  endpoint: { value: string | undefined },
  request: TokenRequest,
): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const http = args.request as { protocol?: string; hostname?: string; port?: number };
      if (http.hostname) {
        endpoint.value = `${http.protocol ?? 'https:'}//${http.hostname}${http.port ? `:${http.port}` : ''}`;
        request.progress.step = `calling GetAuthorizationToken at ${endpoint.value}`;
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'ecrTsRecordEndpoint' },
  );
}
