/** `caller-identity`: the account and ARN of the credentials, from sts:GetCallerIdentity. */
import type { AwsCredentials, AwsSdk, HttpAgents } from '../../aws/aws-sdk';
import { describeAwsFailure } from '../../aws/describe-error';
import type { CallContext } from '../../call-context';
import { failed, passed, type Finding } from './check';

/** The finding, and the principal's ARN for later hints. */
interface CallerIdentityResult {
  readonly finding: Finding;
  readonly arn?: string;
}

/** Asks STS who the credentials belong to (no IAM permission is needed for it). */
export async function checkCallerIdentity(options: {
  readonly context: CallContext;
  readonly sdk: AwsSdk;
  readonly agents: HttpAgents;
  readonly credentials: AwsCredentials;
  readonly region: string;
  /** The ECR account, to say when the caller is in another one (a cross-account pull). */
  readonly registryAccount?: string;
}): Promise<CallerIdentityResult> {
  const { context } = options;
  let endpoint: string | undefined;
  context.progress.step = 'calling sts:GetCallerIdentity';
  try {
    const identity = await options.sdk.getCallerIdentity({
      agents: options.agents,
      deadline: context.deadline,
      signal: context.signal,
      logger: context.logger,
      credentials: options.credentials,
      region: options.region,
      onRequest: (value) => {
        endpoint = value;
        context.progress.step = `calling sts:GetCallerIdentity at ${value}`;
      },
    });
    const account = identity.account ?? '?';
    const other =
      options.registryAccount && identity.account && options.registryAccount !== identity.account
        ? ` (the registry belongs to account ${options.registryAccount}: its repository policy must allow this principal)`
        : '';
    return {
      finding: passed(`account ${account}, ${identity.arn ?? 'no ARN'}${other}`),
      ...(identity.arn ? { arn: identity.arn } : {}),
    };
  } catch (error) {
    const failure = describeAwsFailure(error, {
      action: 'sts:GetCallerIdentity',
      region: options.region,
      env: context.env,
      ...(endpoint ? { endpoint } : {}),
    });
    // GetCallerIdentity needs no permission: a refusal means the credentials themselves are bad.
    const hint =
      failure.code === 'ACCESS_DENIED' || failure.code === 'AWS_CREDENTIALS'
        ? 'The credentials are not valid (expired or revoked): refresh them.'
        : failure.hint;
    return { finding: failed(failure.message, hint) };
  }
}
