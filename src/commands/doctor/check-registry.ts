/**
 * `registry`: that the registry accepts the token, or a secretsManager route's login (`GET /v2/`
 * answers 200, not 401), and the network failure in words when it cannot be reached.
 */
import { classifyError } from '../../aws/classify-error';
import { failed, passed, type Finding } from './check';
import { describeAnswer, type RegistryGet } from './registry-client';

/** Asks the registry's API root with the token (or the login of `secretId`). */
export async function checkRegistry(options: {
  readonly authority: string;
  readonly get: RegistryGet;
  /** The login is a Secrets Manager secret's, not an ECR token. */
  readonly secretId?: string;
}): Promise<Finding> {
  const url = `https://${options.authority}/v2/`;
  const what = options.secretId === undefined ? 'the token' : 'the login';
  let answer;
  try {
    answer = await options.get('/v2/', {});
  } catch (error) {
    return unreachable(url, error);
  }
  if (answer.status === 200)
    return passed(`GET ${url} with ${what}: HTTP 200 (${answer.auth} auth)`);
  if (answer.status === 401) {
    return failed(
      `GET ${url} refused ${what}: ${describeAnswer(answer)}`,
      options.secretId === undefined
        ? "A token works only in its own region and partition: check that the host's region is the one the token came from, that AWS_ENDPOINT_URL_ECR does not point at another service, and that no proxy drops the Authorization header."
        : `Check the user name and password in Secrets Manager secret ${options.secretId} (a token in it may have expired or been revoked), and that no proxy drops the Authorization header.`,
    );
  }
  return failed(`GET ${url} with ${what}: ${describeAnswer(answer)}`);
}

/** A registry request that got no answer, in words: what failed and what to do. */
export function unreachable(url: string, error: unknown): Finding {
  const { kind, code, message } = classifyError(error);
  if (kind === 'untrusted-tls') {
    return failed(
      `cannot verify the TLS certificate of ${url} (${code}: ${message})`,
      'Behind a TLS-inspecting proxy, trust its CA with AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS.',
    );
  }
  return failed(
    `cannot reach ${url} (${code || message})`,
    'Check the network, DNS and proxy (HTTPS_PROXY/NO_PROXY) of the machine that runs docker.',
  );
}
