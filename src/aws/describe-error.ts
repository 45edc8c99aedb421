/**
 * Maps what the SDK throws to a HelperError whose one-line message says what failed and what to
 * do. Pure: reads only the error's name, message, code and HTTP status.
 */
import type { Env } from '../config/load-config';
import { HelperError, isHelperError } from '../errors';
import { describeTriedSources } from './credential-sources';

interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'IncompleteSignature',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Where the failure happened, for the message. */
export interface ErrorContext {
  /** e.g. `ecr:GetAuthorizationToken`. */
  readonly action: string;
  readonly region: string;
  /** The API endpoint last contacted, if known. */
  readonly endpoint?: string;
  readonly env: Env;
}

/** True for the SDK's "no credentials in any source" family of errors. */
export function isNoCredentialsError(error: unknown): boolean {
  const shape = error as SdkErrorShape | null;
  return shape?.name === 'CredentialsProviderError';
}

/** Turns an SDK or network error into a HelperError with a useful one-line message. */
export function describeAwsError(error: unknown, context: ErrorContext): HelperError {
  if (isHelperError(error)) return error;
  const shape = (error ?? {}) as SdkErrorShape;
  const name = shape.name ?? '';
  const message = (shape.message ?? String(error)).trim();
  const status = shape.$metadata?.httpStatusCode;
  const where = context.endpoint ? ` at ${context.endpoint}` : ` in ${context.region}`;

  if (isNoCredentialsError(error)) {
    return new HelperError(
      'NO_AWS_CREDENTIALS',
      `no AWS credentials found to call ${context.action}: ${message}. Sources tried: ${describeTriedSources(context.env)}. ` +
        'Configure one of them (for ECS, give the task an IAM task role).',
      { cause: error },
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    if (BAD_CREDENTIALS.has(name)) return badCredentials(name, message, context, where, error);
    return new HelperError(
      'ACCESS_DENIED',
      `access denied calling ${context.action}${where}: ${message}. Grant ${context.action} to that principal in IAM.`,
      { cause: error },
    );
  }
  if (BAD_CREDENTIALS.has(name)) return badCredentials(name, message, context, where, error);
  if (THROTTLING.has(name) || status === 429) {
    return new HelperError(
      'THROTTLED',
      `${context.action} was throttled${where} (${name || status}) after retries: ${message}. Try again later; the token cache avoids most calls.`,
      { cause: error },
    );
  }
  const code = shape.code ?? '';
  if (NETWORK_CODES.has(code) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return new HelperError(
      'NETWORK',
      `cannot reach the ECR API${where} for ${context.action}: ${code || name} ${message}. Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings.`,
      { cause: error },
    );
  }
  if (status !== undefined && status >= 500) {
    return new HelperError(
      'AWS_API',
      `${context.action} failed${where} with HTTP ${status} (${name}): ${message}. The service may be unavailable; try again.`,
      { cause: error },
    );
  }
  return new HelperError(
    'AWS_API',
    `${context.action} failed${where}: ${name ? `${name}: ` : ''}${message}`,
    { cause: error },
  );
}

function badCredentials(
  name: string,
  message: string,
  context: ErrorContext,
  where: string,
  cause: unknown,
): HelperError {
  return new HelperError(
    'AWS_CREDENTIALS',
    `the AWS credentials were rejected calling ${context.action}${where} (${name}): ${message}. Refresh or fix the credentials.`,
    { cause },
  );
}
