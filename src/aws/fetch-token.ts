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
import type { AwsCredentialIdentityProvider, Logger as SdkLogger } from '@smithy/types';
import { PRODUCT } from '../config/load-config';
import { HelperError, notFound } from '../errors';
import type { Logger } from '../log';
import { describeAwsError, isNoCredentialsError } from './describe-error';
import type { EcrToken, TokenRequest } from './token';
import { VERSION } from '../version';

const PUBLIC_REGION = 'us-east-1';

/** Fetches a fresh token for the request's registry. */
export async function fetchToken(request: TokenRequest): Promise<EcrToken> {
  const { registry } = request;
  const region = registry.kind === 'private' ? registry.region : PUBLIC_REGION;
  const action =
    registry.kind === 'private' ? 'ecr:GetAuthorizationToken' : 'ecr-public:GetAuthorizationToken';
  const logger = sdkLogger(request.logger);
  const credentials = resolveCredentials(request, region, logger);
  const remaining = (): number => Math.max(1, request.deadline - Date.now());
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: Math.min(3000, remaining()),
    requestTimeout: Math.min(4000, remaining()),
    throwOnRequestTimeout: true,
  });
  const common = {
    region,
    credentials,
    logger,
    requestHandler,
    maxAttempts: 3,
    useFipsEndpoint: registry.kind === 'private' && registry.fips,
    useDualstackEndpoint: registry.dualStack,
    customUserAgent: `${PRODUCT}/${VERSION}`,
  };
  const endpoint = { value: undefined as string | undefined };
  try {
    request.progress.step = `getting AWS credentials from ${describeSource(request)}`;
    if (registry.kind === 'public') {
      try {
        await credentials();
      } catch (error) {
        // Anonymous pulls work on ECR Public: no credentials at all is not an error there.
        if (isNoCredentialsError(error)) throw notFound();
        throw error;
      }
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
    throw describeAwsError(error, {
      action,
      region,
      env: request.env,
      ...(endpoint.value ? { endpoint: endpoint.value } : {}),
    });
  } finally {
    requestHandler.destroy();
  }
}

function resolveCredentials(
  request: TokenRequest,
  region: string,
  logger: SdkLogger,
): AwsCredentialIdentityProvider {
  return fromNodeProviderChain({
    clientConfig: { region },
    logger,
    // Container and IMDS endpoints: 1 s per attempt; the overall deadline bounds the rest.
    timeout: 1000,
    maxRetries: 2,
    ...(request.profile ? { profile: request.profile } : {}),
  });
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

/** The SDK's own chatter (deprecations, retries) is debug detail, never noise on stderr. */
function sdkLogger(logger: Logger): SdkLogger {
  const log = (...parts: unknown[]): void =>
    logger.debug(`aws-sdk: ${parts.map(String).join(' ')}`);
  return { trace: log, debug: log, info: log, warn: log, error: log };
}
