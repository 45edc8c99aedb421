/** Secrets Manager's GetSecretValue: imported only when a secretsManager route is taken. */
import type { GetSecretOptions } from '../aws-sdk';
import { clientConfig } from './client-config';
import { reportRequests } from './report-requests';

/** The current version's SecretString of the secret. */
export async function getSecretString(options: GetSecretOptions): Promise<string | undefined> {
  const { config, destroy } = clientConfig(options);
  try {
    const { SecretsManagerClient, GetSecretValueCommand } =
      await import('@aws-sdk/client-secrets-manager');
    const client = new SecretsManagerClient(config);
    reportRequests(client, options.onRequest);
    const answer = await client.send(new GetSecretValueCommand({ SecretId: options.secretId }), {
      abortSignal: options.signal,
    });
    return answer.SecretString;
  } finally {
    destroy();
  }
}
