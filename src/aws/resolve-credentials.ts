/** Runs the SDK's default credential chain once, bounded and watched. */
import type { Agent } from 'node:http';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { attemptBudget, credentialBudget } from '../deadline';
import type { ChainDiagnostics } from './chain-diagnostics';
import { sdkLogger } from './sdk-logger';
import type { TokenRequest } from './token';

/** The agents (a proxy) the chain's own API calls must use, if any. */
export interface ChainAgents {
  readonly httpAgent?: Agent;
  readonly httpsAgent?: Agent;
}

/**
 * Resolves credentials with the default chain in its order, feeding its log lines to
 * `diagnostics` so that a failure or a wait can name the source. Timeouts come from the deadline.
 */
export async function resolveCredentials(options: {
  request: TokenRequest;
  region: string;
  diagnostics: ChainDiagnostics;
  agents: ChainAgents;
}): Promise<AwsCredentialIdentity> {
  const { request, agents } = options;
  const remaining = Math.max(1, request.deadline - Date.now());
  const budget = credentialBudget(remaining);
  // For the chain's own API calls (STS for web identity and assume-role, SSO): the proxy, and
  // per-attempt limits that throw. The container and IMDS providers bring their own handlers.
  const api = attemptBudget(remaining);
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: api.connectionTimeoutMs,
    requestTimeout: api.requestTimeoutMs,
    throwOnRequestTimeout: true,
    ...agents,
  });
  const provider = fromNodeProviderChain({
    clientConfig: { region: options.region, requestHandler },
    // The chain's debug lines are the only place it says which source it tries and why one failed.
    logger: sdkLogger(request.logger, (line) => options.diagnostics.observe(line)),
    timeout: budget.timeoutMs,
    maxRetries: budget.maxRetries,
  });
  try {
    return await provider();
  } finally {
    // destroy() also destroys the agents it was given; shared agents are the caller's.
    if (!agents.httpsAgent && !agents.httpAgent) requestHandler.destroy();
  }
}
