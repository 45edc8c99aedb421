/** Runs the SDK's default credential chain once, bounded and watched. */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { credentialBudget } from '../../deadline';
import type { AwsCredentials, ResolveCredentialsOptions } from '../aws-sdk';
import { createHttpHandler } from './http-handler';
import { sdkLogger } from './sdk-logger';

/**
 * Resolves credentials with the default chain in its order, feeding its log lines to `observe`
 * so that a failure or a wait can name the source. Timeouts come from the deadline.
 */
export async function resolveCredentials(
  options: ResolveCredentialsOptions,
): Promise<AwsCredentials> {
  const budget = credentialBudget(Math.max(1, options.deadline - Date.now()));
  // For the chain's own API calls (STS for web identity and assume-role, SSO): the proxy, and
  // per-attempt limits that throw. The container and IMDS providers bring their own handlers.
  const http = createHttpHandler(options.agents, options.deadline);
  const provider = fromNodeProviderChain({
    clientConfig: { region: options.region, requestHandler: http.handler },
    // The chain's debug lines are the only place it says which source it tries and why one failed.
    logger: sdkLogger(options.logger, options.observe),
    timeout: budget.timeoutMs,
    maxRetries: budget.maxRetries,
    ...(options.profile ? { profile: options.profile } : {}),
  });
  try {
    return await provider();
  } finally {
    http.destroy();
  }
}
