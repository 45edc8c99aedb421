/**
 * `authorization-token` for a secretsManager route: that GetSecretValue reads the route's secret
 * with the route's credentials, in its region, and that it holds a registry login (as
 * fetch-secret.ts reads it for `get`). The login is never shown, nor cached: doctor changes
 * nothing.
 */
import type { AwsCredentials, AwsSdk, HttpAgents } from '../../aws/aws-sdk';
import { describeAwsFailure } from '../../aws/describe-error';
import { SECRET_ACTION } from '../../aws/fetch-secret';
import { parseSecret } from '../../aws/parse-secret';
import type { CallContext } from '../../call-context';
import { isHelperError } from '../../errors';
import { failed, passed, type Finding } from './check';
import type { SecretSource } from './check-route';

/** A registry user name and password. */
export interface Login {
  readonly username: string;
  readonly password: string;
}

/** The finding, and the login for the registry checks. */
export interface SecretLoginResult {
  readonly finding: Finding;
  readonly login?: Login;
}

/** Reads the secret; `secret` hears the password before anything could print it. */
export async function checkSecretLogin(options: {
  readonly context: CallContext;
  readonly sdk: AwsSdk;
  readonly agents: HttpAgents;
  readonly via: string;
  readonly credentials: AwsCredentials;
  readonly source: SecretSource;
  readonly region: string;
  readonly secret: (value: string) => void;
}): Promise<SecretLoginResult> {
  const { context, source, region } = options;
  const name = `Secrets Manager secret ${JSON.stringify(source.secretId)}`;
  let endpoint: string | undefined;
  context.progress.step = `calling ${SECRET_ACTION}`;
  try {
    const text = await options.sdk.getSecretString({
      agents: options.agents,
      deadline: context.deadline,
      signal: context.signal,
      logger: context.logger,
      credentials: options.credentials,
      region,
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      secretId: source.secretId,
      onRequest: (value) => {
        endpoint = value;
        context.progress.step = `calling ${SECRET_ACTION} at ${value}`;
      },
    });
    const login = parseSecret(text, source.secretId);
    options.secret(login.password);
    const at = endpoint ? ` at ${endpoint}${options.via}` : '';
    return {
      finding: passed(
        `${SECRET_ACTION} of ${JSON.stringify(source.secretId)}${at} answered a login for user ${JSON.stringify(login.username)}`,
      ),
      login,
    };
  } catch (error) {
    // A secret that holds no login: the message names the secret, never its content.
    if (isHelperError(error)) return { finding: failed(error.message) };
    const failure = describeAwsFailure(error, {
      action: SECRET_ACTION,
      region,
      env: context.env,
      ...(endpoint ? { endpoint: `${endpoint}${options.via}` } : {}),
    });
    const missing = (error as { name?: unknown }).name === 'ResourceNotFoundException';
    return {
      finding: failed(
        `reading ${name}: ${failure.message}`,
        missing
          ? `No secret of that name or ARN in ${region}: check the route's "secretsManager" (and "region") in the config file, and that the secret exists in that account and region.`
          : failure.code === 'ACCESS_DENIED'
            ? `Grant ${SECRET_ACTION} on the secret (and kms:Decrypt on its key, if it has its own) to the principal of caller-identity.`
            : failure.hint,
      ),
    };
  }
}
