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
/** Certificate errors: the endpoint answered, but its certificate is not trusted. */
const TLS_TRUST_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** The endpoint could not be reached, or not trusted once reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  ...TLS_TRUST_CODES,
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/** Where the failure happened, for the message. */
export interface ErrorContext {
  /** e.g. `ecr:GetAuthorizationToken`. */
  readonly action: string;
  readonly region: string;
  /** The API endpoint last contacted, if known. */
  readonly endpoint?: string;
  readonly env: Env;
  /** Why the configured credential sources failed (from the chain's diagnostics), if known. */
  readonly credentialFailures?: string;
}

/** The fields of an SDK or network error that the messages use, with safe defaults. */
function readError(error: unknown): {
  name: string;
  message: string;
  code: string;
  status: number | undefined;
} {
  const shape = (error ?? {}) as SdkErrorShape;
  return {
    name: shape.name ?? '',
    message: (shape.message ?? String(error)).trim(),
    code: shape.code ?? '',
    status: shape.$metadata?.httpStatusCode,
  };
}

/** True for the SDK's "no credentials in any source" family of errors. */
export function isNoCredentialsError(error: unknown): boolean {
  const shape = error as SdkErrorShape | null;
  return shape?.name === 'CredentialsProviderError';
}

// Messages put the SDK's own text in parentheses after the action, so each line reads as what
// failed, then why, then what to do.
/** Turns an SDK or network error into a HelperError with a useful one-line message. */
export function describeAwsError(error: unknown, context: ErrorContext): HelperError {
  if (isHelperError(error)) return error;
  const { name, message, code, status } = readError(error);
  const where = context.endpoint ? ` at ${context.endpoint}` : ` in ${context.region}`;
  const api = context.action.startsWith('ecr-public:') ? 'the ECR Public API' : 'the ECR API';
  const options = { cause: error };

  if (isNoCredentialsError(error)) {
    const why = context.credentialFailures
      ? ` (${context.credentialFailures})`
      : message && !/^Could not load credentials from any providers/.test(message)
        ? ` (${message})`
        : '';
    return new HelperError(
      'NO_AWS_CREDENTIALS',
      `no AWS credentials found to call ${context.action}${why}. Sources tried: ${describeTriedSources(context.env)}. ` +
        'Configure one of them (for ECS, give the task an IAM task role).',
      options,
    );
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new HelperError(
      'AWS_CREDENTIALS',
      `the AWS credentials were rejected calling ${context.action}${where} (${name}: ${message}). Refresh or fix the credentials.`,
      options,
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    return new HelperError(
      'ACCESS_DENIED',
      `access denied calling ${context.action}${where} (${message}). Grant ${context.action} to that principal in IAM.`,
      options,
    );
  }
  if (THROTTLING.has(name) || status === 429) {
    return new HelperError(
      'THROTTLED',
      `${context.action} was throttled${where} after retries (${name || `HTTP ${status}`}: ${message}). Try again later; the token cache avoids most calls.`,
      options,
    );
  }
  // Before the timeout check: the SDK renames ECONNRESET and EPIPE errors to TimeoutError.
  if (TLS_TRUST_CODES.has(code)) {
    return new HelperError(
      'NETWORK',
      `cannot verify the TLS certificate of ${api}${where} to call ${context.action} (${code}: ${message}). Behind a TLS-inspecting proxy, trust its CA with AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS.`,
      options,
    );
  }
  if (NETWORK_CODES.has(code)) {
    return new HelperError(
      'NETWORK',
      `cannot reach ${api}${where} to call ${context.action} (${code}: ${message}). Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings.`,
      options,
    );
  }
  if (TIMEOUT_NAMES.has(name) || code === 'ETIMEDOUT') {
    return new HelperError(
      'TIMEOUT',
      `timed out waiting for ${api}${where} to answer ${context.action} after retries (${name || code}). Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings, or raise ECR_TS_TIMEOUT (seconds).`,
      options,
    );
  }
  if (status !== undefined && status >= 500) {
    return new HelperError(
      'AWS_API',
      `${context.action} failed${where} with HTTP ${status} after retries (${name || 'error'}: ${message}). The service may be unavailable; try again.`,
      options,
    );
  }
  return new HelperError(
    'AWS_API',
    `${context.action} failed${where} (${name ? `${name}: ` : ''}${message}).`,
    options,
  );
}

/**
 * Describes a failure of a credential source itself (STS for web identity or assume-role, SSO, a
 * credential process) rather than of the ECR call: the chain passes such errors through as they are.
 */
export function describeCredentialError(
  error: unknown,
  context: ErrorContext & { readonly source: string },
): HelperError {
  if (isHelperError(error) || isNoCredentialsError(error)) return describeAwsError(error, context);
  const { name, message, code, status } = readError(error);
  const options = { cause: error };
  const from = `AWS credentials from ${context.source}`;
  if (NETWORK_CODES.has(code)) {
    return new HelperError(
      'NETWORK',
      `cannot get ${from} to call ${context.action} (${code}: ${message}). Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings.`,
      options,
    );
  }
  if (TIMEOUT_NAMES.has(name) || code === 'ETIMEDOUT') {
    return new HelperError(
      'TIMEOUT',
      `timed out getting ${from} to call ${context.action} (${name || code} after retries). Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).`,
      options,
    );
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || status === 403) {
    return new HelperError(
      'ACCESS_DENIED',
      `access denied getting ${from} to call ${context.action} (${name ? `${name}: ` : ''}${message}). Check the role's trust policy and the caller's permissions in IAM.`,
      options,
    );
  }
  return new HelperError(
    'AWS_CREDENTIALS',
    `getting ${from} failed, so ${context.action} could not be called (${name ? `${name}: ` : ''}${message}). Fix that source's configuration.`,
    options,
  );
}
