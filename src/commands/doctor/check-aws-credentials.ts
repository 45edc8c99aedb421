/**
 * `aws-credentials`: runs the SDK's default chain once and says which source answered (never a
 * secret; a container URI shows only its origin) and when the credentials expire.
 */
import type { AwsCredentials, AwsSdk, HttpAgents } from '../../aws/aws-sdk';
import { createChainDiagnostics } from '../../aws/chain-diagnostics';
import { describeCredentialFailure } from '../../aws/describe-error';
import type { CallContext } from '../../call-context';
import { failed, passed, type Finding } from './check';
import { formatDuration } from './format-duration';

/** The finding, and the credentials for the checks after it. */
export interface CredentialsResult {
  readonly finding: Finding;
  readonly credentials?: AwsCredentials;
}

/** Resolves the credentials the helper would use for a call in `region`. */
export async function checkAwsCredentials(options: {
  readonly context: CallContext;
  readonly sdk: AwsSdk;
  readonly agents: HttpAgents;
  /** The region of the chain's own calls (the registry's, as `get` uses). */
  readonly region: string;
  readonly profile?: string;
  /** The call the credentials are for, named in a failure (`ecr:GetAuthorizationToken`). */
  readonly action: string;
  readonly now: () => number;
}): Promise<CredentialsResult> {
  const { context } = options;
  const diagnostics = createChainDiagnostics(context.env, (source) => {
    context.progress.step = `waiting for AWS credentials from ${source.label}`;
  });
  context.progress.step = 'getting AWS credentials from the default credential chain';
  let credentials: AwsCredentials;
  try {
    credentials = await options.sdk.resolveCredentials({
      agents: options.agents,
      deadline: context.deadline,
      signal: context.signal,
      logger: context.logger,
      region: options.region,
      ...(options.profile ? { profile: options.profile } : {}),
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
  const source = options.profile
    ? `profile "${options.profile}"`
    : diagnostics.current() === undefined
      ? 'the default credential chain'
      : diagnostics.currentLabel();
  const kind = credentials.sessionToken ? 'temporary credentials' : 'long-term keys';
  const expiry = credentials.expiration
    ? `expire ${credentials.expiration.toISOString()} (in ${formatDuration(credentials.expiration.getTime() - options.now())})`
    : 'no expiry given';
  return { finding: passed(`${kind} from ${source}; ${expiry}`), credentials };
}
