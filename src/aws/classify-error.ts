/**
 * What kind of failure an SDK or network error is, decided once from its name, code and HTTP
 * status. Pure: the wording lives in describe-error.ts.
 */

/** The kinds of AWS failure the helper tells apart, in the order they are recognised. */
type ErrorKind =
  | 'no-credentials'
  | 'bad-credentials'
  | 'access-denied'
  | 'throttled'
  | 'untrusted-tls'
  | 'unreachable'
  | 'timeout'
  | 'server'
  | 'other';

/** An error's kind and the fields its message quotes, with safe defaults. */
interface ClassifiedError {
  readonly kind: ErrorKind;
  readonly name: string;
  readonly message: string;
  readonly code: string;
  readonly status: number | undefined;
}

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
/** The endpoint could not be reached. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/** True for the SDK's "no credentials in any source" family of errors. */
export function isNoCredentialsError(error: unknown): boolean {
  const shape = error as SdkErrorShape | null;
  return shape?.name === 'CredentialsProviderError';
}

/** Classifies anything an AWS call threw. */
export function classifyError(error: unknown): ClassifiedError {
  const shape = (error ?? {}) as SdkErrorShape;
  const fields = {
    name: shape.name ?? '',
    message: (shape.message ?? String(error)).trim(),
    code: shape.code ?? '',
    status: shape.$metadata?.httpStatusCode,
  };
  return { kind: kindOf(error, fields), ...fields };
}

function kindOf(error: unknown, fields: Omit<ClassifiedError, 'kind'>): ErrorKind {
  const { name, code, status } = fields;
  if (isNoCredentialsError(error)) return 'no-credentials';
  if (BAD_CREDENTIALS.has(name)) return 'bad-credentials';
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    return 'access-denied';
  }
  if (THROTTLING.has(name) || status === 429) return 'throttled';
  // Before the timeout check: the SDK renames ECONNRESET and EPIPE errors to TimeoutError.
  if (TLS_TRUST_CODES.has(code)) return 'untrusted-tls';
  if (NETWORK_CODES.has(code)) return 'unreachable';
  if (TIMEOUT_NAMES.has(name) || code === 'ETIMEDOUT') return 'timeout';
  if (status !== undefined && status >= 500) return 'server';
  return 'other';
}
