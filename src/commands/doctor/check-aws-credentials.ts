/**
 * `aws-credentials`: resolves the route's credentials as `get` does (route-credentials.ts: the
 * default chain or the route's profile, then its role) and says which source answered (never a
 * secret; a container URI shows only its origin), where a role was assumed and when the
 * credentials expire, so the checks after this one use the credentials the pull uses.
 */
import type { AwsCredentials } from '../../aws/aws-sdk';
import { describeCredentialFailure } from '../../aws/describe-error';
import { resolveRouteCredentials, type RouteCredentialsOptions } from '../../aws/route-credentials';
import { isHelperError } from '../../errors';
import { failed, passed, type CheckResult } from './check';
import { formatDuration } from './format-duration';

/**
 * Resolves the credentials the helper would use for the route's call: the finding, and the
 * credentials for the checks after it.
 */
export async function checkAwsCredentials(
  route: RouteCredentialsOptions,
  now: () => number,
): Promise<CheckResult<AwsCredentials>> {
  let resolved;
  try {
    resolved = await resolveRouteCredentials(route);
  } catch (error) {
    // One line naming the role and where STS was called (as `get` says it).
    if (!isHelperError(error)) throw error;
    return { finding: failed(error.message) };
  }
  if ('error' in resolved) {
    const failure = describeCredentialFailure(resolved.error, resolved.context);
    return { finding: failed(failure.message, failure.hint) };
  }
  const { credentials, base } = resolved;
  const kind = base.sessionToken ? 'temporary credentials' : 'long-term keys';
  const from = `${kind} from ${resolved.source}`;
  const expiry = expiryOf(credentials, now());
  const { roleArn } = route.identity;
  const finding = roleArn
    ? passed(
        `role ${roleArn} assumed with sts:AssumeRole at ${resolved.stsEndpoint}${route.choice.via()}, signed with ${from}; ${expiry}`,
      )
    : passed(`${from}; ${expiry}`);
  return { finding, value: credentials };
}

function expiryOf(credentials: AwsCredentials, now: number): string {
  return credentials.expiration
    ? `expire ${credentials.expiration.toISOString()} (in ${formatDuration(credentials.expiration.getTime() - now)})`
    : 'no expiry given';
}
