/**
 * Reads a registry login from AWS Secrets Manager (a secretsManager route, docs/universal-mode.md) with the
 * route's credentials. The region comes from the secret's ARN, else the route's `region`, else the
 * AWS config. SDK-free: the calls go through the lazily loaded AwsSdk (whose Secrets Manager
 * client is imported only here, on first use).
 */
import type { CallContext } from '../call-context';
import { nonEmpty } from '../env';
import { HelperError } from '../errors';
import type { AwsSdk, LoadSdk } from './aws-sdk';
import { parseSecret } from './parse-secret';
import { callAsRoute } from './route-credentials';
import type { EcrToken, SecretRequest } from './token';

/** The call a secretsManager route makes (named in failures, and by doctor). */
export const SECRET_ACTION = 'secretsmanager:GetSecretValue';
const ARN_REGION = /^arn:[a-z-]+:secretsmanager:([a-z0-9-]+):/;

/** Fetches the login; `expiresAt` is when it must be read again (now + cacheSeconds). */
export async function fetchSecret(
  request: CallContext & SecretRequest,
  loadSdk: LoadSdk,
  now: () => number = Date.now,
): Promise<EcrToken> {
  const text = await callAsRoute(
    {
      call: request,
      loadSdk,
      identity: request.identity,
      region: (sdk) => secretRegion(request, sdk),
      fips: false,
      action: SECRET_ACTION,
      anonymousWithoutCredentials: false,
      calls: SECRET_ACTION,
    },
    (sdk, call) => sdk.getSecretString({ ...call, secretId: request.secretId }),
  );
  const login = parseSecret(text, request.secretId);
  request.logger.addSecret(login.password);
  return { ...login, expiresAt: now() + request.cacheSeconds * 1000 };
}

/**
 * The region a secret is read in: its ARN's, else the route's `region`, else AWS_REGION or
 * AWS_DEFAULT_REGION, else the AWS config's for the route's profile (doctor asks the same).
 */
export async function secretRegion(
  request: Pick<SecretRequest, 'secretId' | 'region' | 'identity'> & Pick<CallContext, 'env'>,
  sdk: AwsSdk,
): Promise<string> {
  const region =
    ARN_REGION.exec(request.secretId)?.[1] ??
    request.region ??
    nonEmpty(request.env['AWS_REGION']) ??
    nonEmpty(request.env['AWS_DEFAULT_REGION']) ??
    (await sdk.resolveRegion(
      request.identity.profile ? { profile: request.identity.profile } : {},
    ));
  if (region === undefined) {
    throw new HelperError(
      'CONFIG',
      `no region for the Secrets Manager secret ${JSON.stringify(request.secretId)}: give its full ARN, set "region" in its config file entry, or set AWS_REGION`,
    );
  }
  return region;
}
