/** ECR's and ECR Public's GetAuthorizationToken. */
import type { AuthorizationData, GetAuthorizationTokenOptions } from '../aws-sdk';
import { clientConfig } from './client-config';
import { reportRequests } from './report-requests';
import { throttlingReturned } from './retry-strategy';

/** Asks the service for a registry token; ECR answers one per region (registryIds is deprecated). */
export async function getAuthorizationToken(
  options: GetAuthorizationTokenOptions,
): Promise<AuthorizationData | undefined> {
  const base = clientConfig(options);
  const { destroy } = base;
  const config = { ...base.config, retryStrategy: throttlingReturned(base.config.maxAttempts) };
  const send = { abortSignal: options.signal };
  try {
    // Each client is imported only when used: a cold call evaluates one of them, not both.
    if (options.service === 'ecr-public') {
      const { ECRPUBLICClient, GetAuthorizationTokenCommand } =
        await import('@aws-sdk/client-ecr-public');
      const client = new ECRPUBLICClient(config);
      reportRequests(client, options.onRequest);
      return (await client.send(new GetAuthorizationTokenCommand({}), send)).authorizationData;
    }
    const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const client = new ECRClient(config);
    reportRequests(client, options.onRequest);
    return (await client.send(new GetAuthorizationTokenCommand({}), send)).authorizationData?.[0];
  } finally {
    destroy();
  }
}
