/**
 * `authorization-token`: that GetAuthorizationToken works for the registry (the first place IAM
 * checks permissions: `ecr:GetAuthorizationToken`), how long it took, and what the token cache
 * holds. The token is fetched fresh and not cached: doctor changes nothing.
 */
import { decodeToken } from '../../aws/decode-token';
import { requestToken, tokenApi } from '../../aws/fetch-token';
import type { EcrToken } from '../../aws/token';
import type { CacheState } from '../../cache/cache-state';
import { isHelperError } from '../../errors';
import type { EcrRegistry } from '../../registry/parse-registry';
import { callAws, type AwsCaller } from './call-aws';
import { failed, passed, type CheckResult } from './check';
import { formatDuration } from './format-duration';

/** Calls GetAuthorizationToken for the registry: the finding, and the token for the registry checks. */
export async function checkAuthorizationToken(
  aws: AwsCaller,
  registry: EcrRegistry,
  cacheState: CacheState,
  now: () => number,
): Promise<CheckResult<EcrToken>> {
  const { action } = tokenApi(registry);
  const cache = describeCache(cacheState, now());
  const started = now();
  const answer = await callAws(aws, action, async (sdk, call) =>
    decodeToken(await requestToken(sdk, registry, aws.context.env, call), now()),
  );
  if (answer.ok) {
    const token = answer.value;
    const took = formatDuration(now() - started);
    return {
      finding: passed(
        `${action}${answer.at} answered in ${took}; token valid until ${new Date(token.expiresAt).toISOString()}; cache: ${cache}`,
      ),
      value: token,
    };
  }
  const { error, failure } = answer;
  if (isHelperError(error)) return { finding: failed(`${error.message}; cache: ${cache}`) };
  const hint =
    failure.code === 'ACCESS_DENIED'
      ? `${failure.hint ?? ''} This is the first of the two places ECR checks permissions (the token); the pull itself needs ecr:BatchGetImage and ecr:GetDownloadUrlForLayer.`.trim()
      : failure.code === 'THROTTLED'
        ? `${failure.hint ?? ''} doctor tried once; \`get\` itself waits for the refill until ECR_TS_TIMEOUT, and a fresh cached token (see cache) answers without any call.`.trim()
        : failure.hint;
  return { finding: failed(`${failure.message}; cache: ${cache}`, hint) };
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
