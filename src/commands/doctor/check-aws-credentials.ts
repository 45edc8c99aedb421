/**
 * `aws-credentials`: resolves the route's credentials as `get` does (route-credentials.ts: the
 * default chain or the route's profile, then its role) and says which source answered (never a
 * secret; a container URI shows only its origin), where a role was assumed and when the
 * credentials expire, so the checks after this one use the credentials the pull uses.
 */
import type { AwsCredentials, AwsSdk } from '../../aws/aws-sdk';
import type { AwsIdentity } from '../../aws/aws-identity';
import { describeCredentialFailure } from '../../aws/describe-error';
import type { AgentChoice } from '../../aws/http-agents';
import { resolveRouteCredentials } from '../../aws/route-credentials';
import type { CallContext } from '../../call-context';
import { isHelperError } from '../../errors';
import { failed, passed, type Finding } from './check';
import { formatDuration } from './format-duration';

/** The finding, and the credentials for the checks after it. */
interface CredentialsResult {
  readonly finding: Finding;
  readonly credentials?: AwsCredentials;
}

/** Resolves the credentials the helper would use for a call in `region`. */
export async function checkAwsCredentials(options: {
  readonly context: CallContext;
  readonly sdk: AwsSdk;
  /** The region of the chain's own calls (the registry's, as `get` uses). */
  readonly region: string;
  /** The route's identity: a profile instead of the chain, a role to assume after it. */
  readonly identity: AwsIdentity;
  /** The registry is a FIPS one (STS is called at its FIPS endpoint too). */
  readonly fips: boolean;
  readonly agentChoice: AgentChoice;
  /** The call the credentials are for, named in a failure (`ecr:GetAuthorizationToken`). */
  readonly action: string;
  readonly now: () => number;
}): Promise<CredentialsResult> {
  const { identity, agentChoice } = options;
  let resolved;
  try {
    resolved = await resolveRouteCredentials({
      sdk: options.sdk,
      call: options.context,
      identity,
      region: options.region,
      fips: options.fips,
      choice: agentChoice,
      action: options.action,
    });
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
  const expiry = expiryOf(credentials, options.now());
  const finding = identity.roleArn
    ? passed(
        `role ${identity.roleArn} assumed with sts:AssumeRole at ${resolved.stsEndpoint}${agentChoice.via()}, signed with ${from}; ${expiry}`,
      )
    : passed(`${from}; ${expiry}`);
  return { finding, credentials };
}

function expiryOf(credentials: AwsCredentials, now: number): string {
  return credentials.expiration
    ? `expire ${credentials.expiration.toISOString()} (in ${formatDuration(credentials.expiration.getTime() - now)})`
    : 'no expiry given';
}
