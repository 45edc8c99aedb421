/**
 * `aws-credentials`: runs the SDK's default chain (or the route's profile) once and says which
 * source answered (never a secret; a container URI shows only its origin) and when the
 * credentials expire; for a route that names a role, assumes it as `get` would, so the checks
 * after this one use the credentials the pull uses.
 */
import type { AwsCredentials, AwsSdk } from '../../aws/aws-sdk';
import { createChainDiagnostics } from '../../aws/chain-diagnostics';
import { describeCredentialFailure } from '../../aws/describe-error';
import type { AgentChoice } from '../../aws/http-agents';
import { assumeRouteRole } from '../../aws/route-credentials';
import { isHelperError } from '../../errors';
import type { CallContext } from '../../call-context';
import { failed, passed, type Finding } from './check';
import { formatDuration } from './format-duration';
import type { AwsIdentity } from '../../aws/aws-identity';

/** The finding, and the credentials for the checks after it. */
export interface CredentialsResult {
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
  const { context, identity } = options;
  const { profile } = identity;
  const diagnostics = createChainDiagnostics(context.env, (source) => {
    context.progress.step = `waiting for AWS credentials from ${source.label}`;
  });
  context.progress.step = 'getting AWS credentials from the default credential chain';
  let credentials: AwsCredentials;
  try {
    credentials = await options.sdk.resolveCredentials({
      agents: options.agentChoice.agents,
      deadline: context.deadline,
      signal: context.signal,
      logger: context.logger,
      region: options.region,
      ...(profile ? { profile } : {}),
      observe: (line) => diagnostics.observe(line),
    });
  } catch (error) {
    const failures = diagnostics.describeConfiguredFailures();
    const failure = describeCredentialFailure(error, {
      action: options.action,
      region: options.region,
      env: context.env,
      source: diagnostics.currentLabel(),
      ...(failures ? { credentialFailures: failures } : {}),
    });
    return { finding: failed(failure.message, failure.hint) };
  }
  const source = profile
    ? `profile "${profile}"`
    : diagnostics.current() === undefined
      ? 'the default credential chain'
      : diagnostics.currentLabel();
  const kind = credentials.sessionToken ? 'temporary credentials' : 'long-term keys';
  const base = `${kind} from ${source}`;
  if (!identity.roleArn) {
    return { finding: passed(`${base}; ${expiryOf(credentials, options.now())}`), credentials };
  }
  let endpoint = '';
  try {
    const role = await assumeRouteRole(
      {
        sdk: options.sdk,
        call: context,
        region: options.region,
        fips: options.fips,
        choice: options.agentChoice,
        errorContext: () => ({ action: options.action, region: options.region, env: context.env }),
      },
      { ...identity, roleArn: identity.roleArn },
      credentials,
      (value) => (endpoint = value),
    );
    return {
      finding: passed(
        `role ${identity.roleArn} assumed with sts:AssumeRole at ${endpoint}${options.agentChoice.via()}, signed with ${base}; ${expiryOf(role, options.now())}`,
      ),
      credentials: role,
    };
  } catch (error) {
    // One line naming the role and where STS was called, with what to check (as `get` says it).
    if (!isHelperError(error)) throw error;
    return { finding: failed(error.message) };
  }
}

function expiryOf(credentials: AwsCredentials, now: number): string {
  return credentials.expiration
    ? `expire ${credentials.expiration.toISOString()} (in ${formatDuration(credentials.expiration.getTime() - now)})`
    : 'no expiry given';
}
