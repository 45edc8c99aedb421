/** STS AssumeRoleWithWebIdentity in the registry's own region and partition (service-account tokens). */
import type { AssumeRoleWithWebIdentityOptions, AwsCredentials } from '../aws-sdk';
import { clientConfig } from './client-config';
import { reportRequests } from './report-requests';

/** Exchanges the token for the role's temporary credentials. */
export async function assumeRoleWithWebIdentity(
  options: AssumeRoleWithWebIdentityOptions,
): Promise<AwsCredentials> {
  const { config, destroy } = clientConfig({ ...options, credentials: NO_CREDENTIALS });
  try {
    const { STSClient, AssumeRoleWithWebIdentityCommand } = await import('@aws-sdk/client-sts');
    // The operation is unsigned: a provider that fails says so if the SDK ever asked for one,
    // instead of the default chain quietly running (and reading the node's own credentials).
    const client = new STSClient({ ...config, credentials: refuseCredentials });
    reportRequests(client, options.onRequest);
    const answer = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        WebIdentityToken: options.webIdentityToken,
      }),
      { abortSignal: options.signal },
    );
    const credentials = answer.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new Error('STS answered AssumeRoleWithWebIdentity without credentials');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  } finally {
    destroy();
  }
}

const NO_CREDENTIALS = { accessKeyId: '', secretAccessKey: '' };

function refuseCredentials(): Promise<never> {
  return Promise.reject(new Error('AssumeRoleWithWebIdentity needs no AWS credentials'));
}
