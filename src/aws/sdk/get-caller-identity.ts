/** STS GetCallerIdentity, for `doctor`: which account and principal the credentials are. */
import type { CallerIdentity, ServiceCallOptions } from '../aws-sdk';
import { clientConfig } from './client-config';
import { reportRequests } from './report-requests';

/** Asks STS (in the given region, regional endpoint) whose credentials these are. */
export async function getCallerIdentity(options: ServiceCallOptions): Promise<CallerIdentity> {
  // Plain endpoints: STS has no FIPS or dual-stack endpoint in every partition, and this call
  // only names the principal; the ECR call is the one that follows the registry's host form.
  const { config, destroy } = clientConfig({
    ...options,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
  });
  try {
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const client = new STSClient(config);
    reportRequests(client, options.onRequest);
    const answer = await client.send(new GetCallerIdentityCommand({}), {
      abortSignal: options.signal,
    });
    return { account: answer.Account, arn: answer.Arn, userId: answer.UserId };
  } finally {
    destroy();
  }
}
