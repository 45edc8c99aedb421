/**
 * Words a classified AWS failure: what failed and why (the message), and what to do (the hint),
 * kept apart so `doctor` can show hints on their own; the helper prints them as one line.
 */
import type { Env } from '../env';
import { HelperError, isHelperError, type ErrorCode } from '../errors';
import { classifyError } from './classify-error';
import { describeTriedSources } from './credential-sources';
import { ThrottledUntilBound, type ThrottledTries } from './wait-out-throttling';

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
  /** How long a throttled GetAuthorizationToken was waited out (wait-out-throttling.ts). */
  readonly throttledTries?: ThrottledTries;
}

/** A failure in words: the code, what failed and why, and what to do about it (if anything). */
export interface AwsFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint?: string;
}

const CHECK_NETWORK =
  'Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings.';

// Messages put the SDK's own text in parentheses after the action, so each line reads as what
// failed, then why, then what to do.
/** Words the failure of an ECR or ECR Public API call. */
export function describeAwsFailure(error: unknown, context: ErrorContext): AwsFailure {
  const { kind, name, message, code, status } = classifyError(error);
  const where = context.endpoint ? ` at ${context.endpoint}` : ` in ${context.region}`;
  const api = apiName(context.action);
  const { action } = context;
  switch (kind) {
    case 'no-credentials': {
      const why = context.credentialFailures
        ? ` (${context.credentialFailures})`
        : message && !/^Could not load credentials from any providers/.test(message)
          ? ` (${message})`
          : '';
      return {
        code: 'NO_AWS_CREDENTIALS',
        message: `no AWS credentials found to call ${action}${why}. Sources tried: ${describeTriedSources(context.env)}`,
        hint: 'Configure one of them (for ECS, give the task an IAM task role).',
      };
    }
    case 'bad-credentials':
      return {
        code: 'AWS_CREDENTIALS',
        message: `the AWS credentials were rejected calling ${action}${where} (${name}: ${message})`,
        hint: 'Refresh or fix the credentials.',
      };
    case 'access-denied':
      return {
        code: 'ACCESS_DENIED',
        message: `access denied calling ${action}${where} (${message})`,
        hint: `Grant ${action} to that principal in IAM.`,
      };
    case 'throttled': {
      const why = `${name || `HTTP ${status}`}: ${message}`;
      if (!action.endsWith(':GetAuthorizationToken')) {
        return {
          code: 'THROTTLED',
          message: `${action} was throttled${where} after retries (${why})`,
          hint: 'Try again later; the token cache avoids most calls.',
        };
      }
      return describeThrottledToken(context, where, why);
    }
    case 'untrusted-tls':
      return {
        code: 'NETWORK',
        message: `cannot verify the TLS certificate of ${api}${where} to call ${action} (${code}: ${message})`,
        hint: 'Behind a TLS-inspecting proxy, trust its CA with AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS.',
      };
    case 'unreachable':
      return {
        code: 'NETWORK',
        message: `cannot reach ${api}${where} to call ${action} (${code}: ${message})`,
        hint: CHECK_NETWORK,
      };
    case 'timeout':
      return {
        code: 'TIMEOUT',
        message: `timed out waiting for ${api}${where} to answer ${action} after retries (${name || code})`,
        hint: 'Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings, or raise ECR_TS_TIMEOUT (seconds).',
      };
    case 'server':
      return {
        code: 'AWS_API',
        message: `${action} failed${where} with HTTP ${status} after retries (${name || 'error'}: ${message})`,
        hint: 'The service may be unavailable; try again.',
      };
    case 'other':
      return {
        code: 'AWS_API',
        message: `${action} failed${where} (${name ? `${name}: ` : ''}${message})`,
      };
  }
}

/**
 * A throttled GetAuthorizationToken: the account and region's bucket is empty (docs/fleets.md).
 * The bucket belongs to the account of the credentials, not of the registry: for a cross-account
 * pull they differ, so the message names the region and says "calling account".
 */
function describeThrottledToken(context: ErrorContext, where: string, why: string): AwsFailure {
  const { action, region, throttledTries: tries } = context;
  const over = tries
    ? ` on ${tries.attempts} ${tries.attempts === 1 ? 'attempt' : 'attempts'} over ${(tries.waitedMs / 1000).toFixed(1)} s`
    : '';
  const bucket = action.startsWith('ecr-public:')
    ? `the calling AWS account's ECR Public rate limit in ${region} is used up`
    : `the calling AWS account's GetAuthorizationToken bucket in ${region} (${ECR_TOKEN_BUCKET.burst} calls, refilled at ${ECR_TOKEN_BUCKET.perSecond} a second) is empty`;
  return {
    code: 'THROTTLED',
    message: `${action} was throttled${where}${over} (${why}): ${bucket}`,
    hint: 'Machines that start at once share it: stagger their start, or raise ECR_TS_TIMEOUT (seconds) so that each waits longer for the refill.',
  };
}

/** ECR's GetAuthorizationToken rate limit per account and region (AWS's ECR user guide). */
const ECR_TOKEN_BUCKET = { burst: 200, perSecond: 20 } as const;

/**
 * Words a failure of a credential source itself (STS for web identity or assume-role, SSO, a
 * credential process) rather than of the ECR call: the chain passes such errors through as they are.
 */
export function describeCredentialFailure(
  error: unknown,
  context: ErrorContext & { readonly source: string },
): AwsFailure {
  const { kind, name, message, code, status } = classifyError(error);
  if (kind === 'no-credentials') return describeAwsFailure(error, context);
  const { action } = context;
  const from = `AWS credentials from ${context.source}`;
  if (kind === 'unreachable' || kind === 'untrusted-tls') {
    return {
      code: 'NETWORK',
      message: `cannot get ${from} to call ${action} (${code}: ${message})`,
      hint: CHECK_NETWORK,
    };
  }
  if (kind === 'timeout') {
    return {
      code: 'TIMEOUT',
      message: `timed out getting ${from} to call ${action} (${name || code} after retries)`,
      hint: 'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).',
    };
  }
  // A source that answers 403 refused us, whatever it named the refusal (STS: InvalidClientTokenId).
  if (kind === 'access-denied' || status === 403) {
    return {
      code: 'ACCESS_DENIED',
      message: `access denied getting ${from} to call ${action} (${name ? `${name}: ` : ''}${message})`,
      hint: "Check the role's trust policy and the caller's permissions in IAM.",
    };
  }
  return {
    code: 'AWS_CREDENTIALS',
    message: `getting ${from} failed, so ${action} could not be called (${name ? `${name}: ` : ''}${message})`,
    hint: "Fix that source's configuration.",
  };
}

/** The API an action (`service:Operation`) belongs to, for messages. */
function apiName(action: string): string {
  if (action.startsWith('ecr-public:')) return 'the ECR Public API';
  if (action.startsWith('sts:')) return 'STS';
  if (action.startsWith('secretsmanager:')) return 'the Secrets Manager API';
  return 'the ECR API';
}

/** describeAwsFailure() as the one-line HelperError the helper reports. */
export function describeAwsError(error: unknown, context: ErrorContext): HelperError {
  if (isHelperError(error)) return error;
  // Throttled until the bound: the last answer, and how long it was waited out.
  if (error instanceof ThrottledUntilBound) {
    return describeAwsError(error.last, { ...context, throttledTries: error.tries });
  }
  return toError(describeAwsFailure(error, context), error);
}

/** describeCredentialFailure() as the one-line HelperError the helper reports. */
export function describeCredentialError(
  error: unknown,
  context: ErrorContext & { readonly source: string },
): HelperError {
  if (isHelperError(error)) return error;
  return toError(describeCredentialFailure(error, context), error);
}

function toError(failure: AwsFailure, cause: unknown): HelperError {
  const text = failure.hint ? `${failure.message}. ${failure.hint}` : `${failure.message}.`;
  return new HelperError(failure.code, text, { cause });
}
