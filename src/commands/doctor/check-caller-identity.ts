/** `caller-identity`: the account and ARN of the credentials, from sts:GetCallerIdentity. */
import { callAws, type AwsCaller } from './call-aws';
import { failed, passed, type CheckResult } from './check';

/**
 * Asks STS who the credentials belong to (no IAM permission is needed for it): the finding, and
 * the principal's ARN for later hints. `registryAccount`: the ECR account, to say when the caller
 * is in another one (a cross-account pull).
 */
export async function checkCallerIdentity(
  aws: AwsCaller,
  registryAccount: string | undefined,
): Promise<CheckResult<string>> {
  const answer = await callAws(aws, 'sts:GetCallerIdentity', (sdk, call) =>
    sdk.getCallerIdentity(call),
  );
  if (!answer.ok) {
    const { failure } = answer;
    // GetCallerIdentity needs no permission: a refusal means the credentials themselves are bad.
    const hint =
      failure.code === 'ACCESS_DENIED' || failure.code === 'AWS_CREDENTIALS'
        ? 'The credentials are not valid (expired or revoked): refresh them.'
        : failure.hint;
    return { finding: failed(failure.message, hint) };
  }
  const { account, arn } = answer.value;
  const other =
    registryAccount && account && registryAccount !== account
      ? ` (the registry belongs to account ${registryAccount}: its repository policy must allow this principal)`
      : '';
  return {
    finding: passed(`account ${account ?? '?'}, ${arn ?? 'no ARN'}${other}`),
    ...(arn ? { value: arn } : {}),
  };
}
