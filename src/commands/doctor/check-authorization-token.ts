/**
 * `authorization-token`: that GetAuthorizationToken works for the registry (the first place IAM
 * checks permissions: `ecr:GetAuthorizationToken`), how long it took, and what the token cache
 * holds. The token is fetched fresh and not cached: doctor changes nothing.
 */
import type { AwsCredentials, AwsSdk } from '../../aws/aws-sdk';
import { decodeToken } from '../../aws/decode-token';
import { describeAwsFailure } from '../../aws/describe-error';
import { callApi } from '../../aws/fetch-token';
import type { AgentChoice } from '../../aws/http-agents';
import type { EcrToken } from '../../aws/token';
import type { CacheState } from '../../cache/cache-state';
import type { CallContext } from '../../call-context';
import { isHelperError } from '../../errors';
import { failed, passed, type Finding } from './check';
import { formatDuration } from './format-duration';
import type { EcrRegistry } from '../../registry/parse-registry';

/** The finding, and the token for the registry checks. */
export interface TokenResult {
  readonly finding: Finding;
  readonly token?: EcrToken;
}

/** Calls GetAuthorizationToken for the registry with the given credentials. */
export async function checkAuthorizationToken(options: {
  readonly context: CallContext;
  readonly sdk: AwsSdk;
  readonly agents: AgentChoice;
  readonly credentials: AwsCredentials;
  readonly registry: EcrRegistry;
  readonly cache: CacheState;
  readonly now: () => number;
}): Promise<TokenResult> {
  const { context, registry } = options;
  const region = registry.kind === 'private' ? registry.region : 'us-east-1';
  const action =
    registry.kind === 'private' ? 'ecr:GetAuthorizationToken' : 'ecr-public:GetAuthorizationToken';
  const cache = describeCache(options.cache, options.now());
  let endpoint: string | undefined;
  const started = options.now();
  context.progress.step = `calling ${action}`;
  try {
    const answer = await callApi(
      options.sdk,
      { ...context, registry },
      options.agents,
      options.credentials,
      region,
      (value) => {
        endpoint = value;
        context.progress.step = `calling ${action} at ${value}`;
      },
      // One attempt: when the account's bucket is empty, doctor must not add to the crowd.
      { retryThrottling: false },
    );
    const token = decodeToken(answer, options.now());
    const took = formatDuration(options.now() - started);
    const at = endpoint ? ` at ${endpoint}${options.agents.via()}` : '';
    return {
      finding: passed(
        `${action}${at} answered in ${took}; token valid until ${new Date(token.expiresAt).toISOString()}; cache: ${cache}`,
      ),
      token,
    };
  } catch (error) {
    if (isHelperError(error)) return { finding: failed(`${error.message}; cache: ${cache}`) };
    const failure = describeAwsFailure(error, {
      action,
      region,
      env: context.env,
      ...(endpoint ? { endpoint: `${endpoint}${options.agents.via()}` } : {}),
    });
    const hint =
      failure.code === 'ACCESS_DENIED'
        ? `${failure.hint ?? ''} This is the first of the two places ECR checks permissions (the token); the pull itself needs ecr:BatchGetImage and ecr:GetDownloadUrlForLayer.`.trim()
        : failure.code === 'THROTTLED'
          ? `${failure.hint ?? ''} doctor tried once; \`get\` itself waits for the refill until ECR_TS_TIMEOUT, and a fresh cached token (see cache) answers without any call.`.trim()
          : failure.hint;
    return { finding: failed(`${failure.message}; cache: ${cache}`, hint) };
  }
}

function describeCache(cache: CacheState, now: number): string {
  switch (cache.state) {
    case 'disabled':
      return 'disabled (AWS_ECR_DISABLE_CACHE or ECR_TS_DISABLE_CACHE)';
    case 'none':
      return cache.problem ? `no usable entry (${cache.problem})` : 'no entry';
    case 'fresh':
      return `fresh until ${new Date(cache.until).toISOString()} (${formatDuration(cache.until - now)})`;
    case 'stale':
      return `stale (refreshed on the next get; usable until ${new Date(cache.until).toISOString()})`;
    case 'expired':
      return 'expired (replaced on the next get)';
  }
}
