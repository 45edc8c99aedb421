/**
 * `authorization-token` for a secretsManager route: that GetSecretValue reads the route's secret
 * with the route's credentials, in its region, and that it holds a registry login (as
 * fetch-secret.ts reads it for `get`). The login is never shown, nor cached: doctor changes
 * nothing.
 */
import { SECRET_ACTION } from '../../aws/fetch-secret';
import { parseSecret } from '../../aws/parse-secret';
import { isHelperError } from '../../errors';
import { callAws, type AwsCaller } from './call-aws';
import { failed, passed, type CheckResult } from './check';
import type { SecretSource } from './check-route';

/** A registry user name and password. */
export interface Login {
  readonly username: string;
  readonly password: string;
}

/**
 * Reads the secret: the finding, and the login for the registry checks. `secret` hears the
 * password before anything could print it.
 */
export async function checkSecretLogin(
  aws: AwsCaller,
  source: SecretSource,
  secret: (value: string) => void,
): Promise<CheckResult<Login>> {
  const { secretId } = source;
  const answer = await callAws(aws, SECRET_ACTION, async (sdk, call) => {
    const login = parseSecret(await sdk.getSecretString({ ...call, secretId }), secretId);
    secret(login.password);
    return login;
  });
  if (answer.ok) {
    const login = answer.value;
    return {
      finding: passed(
        `${SECRET_ACTION} of ${JSON.stringify(secretId)}${answer.at} answered a login for user ${JSON.stringify(login.username)}`,
      ),
      value: login,
    };
  }
  const { error, failure } = answer;
  // A secret that holds no login: the message names the secret, never its content.
  if (isHelperError(error)) return { finding: failed(error.message) };
  const missing = (error as { name?: unknown }).name === 'ResourceNotFoundException';
  return {
    finding: failed(
      `reading Secrets Manager secret ${JSON.stringify(secretId)}: ${failure.message}`,
      missing
        ? `No secret of that name or ARN in ${aws.region}: check the route's "secretsManager" (and "region") in the config file, and that the secret exists in that account and region.`
        : failure.code === 'ACCESS_DENIED'
          ? `Grant ${SECRET_ACTION} on the secret (and kms:Decrypt on its key, if it has its own) to the principal of caller-identity.`
          : failure.hint,
    ),
  };
}
