/**
 * Obtains a registry password from ECR or ECR Public with the SDK's default credential chain. The
 * region and partition come from the registry host, never from AWS_REGION; FIPS and dual-stack
 * hosts select the matching API endpoints.
 */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  ECRPUBLICClient,
  GetAuthorizationTokenCommand as GetPublicAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr-public';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, Logger as SdkLogger } from '@smithy/types';
import { PRODUCT } from '../config/load-config';
import { attemptBudget, credentialBudget } from '../deadline';
import { HelperError, notFound } from '../errors';
import type { Logger } from '../log';
import { createChainDiagnostics, type ChainDiagnostics } from './chain-diagnostics';
import { describeAwsError, describeCredentialError, isNoCredentialsError } from './describe-error';
import { hasEndpointOverride } from './endpoint-override';
import type { EnvProxyAgent } from './proxy-agent';
import { proxyConfigured } from './proxy-configured';
import type { EcrToken, TokenRequest } from './token';
import { VERSION } from '../version';

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
  const endpoint = { value: undefined as string | undefined };
  // Only loaded and built when a proxy variable is set: the common path keeps the SDK's agents.
  const proxyAgent = proxyConfigured(request.env)
    ? new (await import('./proxy-agent')).EnvProxyAgent({ keepAlive: true })
    : undefined;
  const agents = proxyAgent ? { httpAgent: proxyAgent, httpsAgent: proxyAgent } : {};
  const describe = (error: unknown): HelperError => {
    const failures = diagnostics.describeConfiguredFailures();
    const via = proxyAgent?.lastProxy ? ` through proxy ${proxyAgent.lastProxy}` : '';
    return describeAwsError(error, {
      action,
      region,
      env: request.env,
      ...(endpoint.value ? { endpoint: `${endpoint.value}${via}` } : {}),
      ...(failures ? { credentialFailures: failures } : {}),
    });
  };
  try {
    return await fetchWithAgents();
  } finally {
    proxyAgent?.destroy();
  }

  async function fetchWithAgents(): Promise<EcrToken> {
    // Credentials first, on their own: the API call's attempts are then sized to the time left.
    request.progress.step = `getting AWS credentials from ${describeSource(request)}`;
    let credentials: AwsCredentialIdentity;
    try {
      credentials = await resolveCredentials(request, region, diagnostics, agents);
    } catch (error) {
      // Anonymous pulls work on ECR Public: no credentials at all is not an error there.
      if (registry.kind === 'public' && isNoCredentialsError(error)) {
        request.logger.debug(`ECR Public without AWS credentials: ${describe(error).message}`);
        throw notFound();
      }
      throw describeCredentialError(error, {
        action,
        region,
        env: request.env,
        source: diagnostics.currentLabel(),
        ...(diagnostics.describeConfiguredFailures()
          ? { credentialFailures: diagnostics.describeConfiguredFailures() }
          : {}),
      });
    }

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
    const common = {
      region,
      credentials,
      logger: sdkLogger(request.logger),
      requestHandler,
      maxAttempts: budget.maxAttempts,
      // An endpoint override decides alone: the SDK refuses FIPS or dual-stack together with one.
      useFipsEndpoint: !overridden && registry.kind === 'private' && registry.fips,
      useDualstackEndpoint: !overridden && registry.dualStack,
      customUserAgent: `${PRODUCT}/${VERSION}`,
    };
    try {
      if (registry.kind === 'public') {
        const client = new ECRPUBLICClient(common);
        recordEndpoint(client, endpoint, request);
        const output = await client.send(new GetPublicAuthorizationTokenCommand({}), {
          abortSignal: request.signal,
        });
        const data = output.authorizationData;
        return decodeToken(data?.authorizationToken, data?.expiresAt, undefined);
      }
      const client = new ECRClient(common);
      recordEndpoint(client, endpoint, request);
      const output = await client.send(new GetAuthorizationTokenCommand({}), {
        abortSignal: request.signal,
      });
      const data = output.authorizationData?.[0];
      return decodeToken(data?.authorizationToken, data?.expiresAt, data?.proxyEndpoint);
    } catch (error) {
      throw describe(error);
    } finally {
      requestHandler.destroy();
    }
  }
}

/** Runs the SDK's default chain once, watching its log lines to explain a failure or a wait. */
async function resolveCredentials(
  request: TokenRequest,
  region: string,
  diagnostics: ChainDiagnostics,
  agents: { httpAgent?: EnvProxyAgent; httpsAgent?: EnvProxyAgent },
): Promise<AwsCredentialIdentity> {
  const budget = credentialBudget(Math.max(1, request.deadline - Date.now()));
  // For the chain's own API calls (STS for web identity and assume-role, SSO): the proxy, and
  // per-attempt limits that throw. The container and IMDS providers bring their own handlers.
  const api = attemptBudget(Math.max(1, request.deadline - Date.now()));
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: api.connectionTimeoutMs,
    requestTimeout: api.requestTimeoutMs,
    throwOnRequestTimeout: true,
    ...agents,
  });
  // The chain's debug lines are the only place it says which source it tries and why one failed.
  const logger = sdkLogger(request.logger, (line) => diagnostics.observe(line));
  const provider = fromNodeProviderChain({
    clientConfig: { region, requestHandler },
    logger,
    timeout: budget.timeoutMs,
    maxRetries: budget.maxRetries,
    ...(request.profile ? { profile: request.profile } : {}),
  });
  try {
    return await provider();
  } finally {
    // destroy() also destroys the agents it was given; the shared proxy agent is the caller's.
    if (!agents.httpsAgent) requestHandler.destroy();
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

function decodeToken(
  token: string | undefined,
  expiresAt: Date | undefined,
  proxyEndpoint: string | undefined,
): EcrToken {
  if (!token)
    throw new HelperError('AWS_API', 'GetAuthorizationToken returned no authorization data');
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    throw new HelperError(
      'AWS_API',
      'GetAuthorizationToken returned a malformed authorization token',
    );
  }
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    expiresAt: expiresAt ? expiresAt.getTime() : Date.now() + 12 * 3600_000,
    ...(proxyEndpoint ? { proxyEndpoint } : {}),
  };
}

/** The SDK's own chatter (deprecations, retries, warnings) is debug detail, never noise on stderr. */
function sdkLogger(logger: Logger, observe?: (line: string) => void): SdkLogger {
  const log = (...parts: unknown[]): void => {
    const line = parts.map(String).join(' ');
    observe?.(line);
    logger.debug(`aws-sdk: ${line}`);
  };
  return { trace: log, debug: log, info: log, warn: log, error: log };
}
