/**
 * One AWS call of a doctor check, with the credentials aws-credentials found, made once: when the
 * account's bucket is empty, doctor must not add to the crowd (`get` waits it out instead). The
 * progress names the call and where it went; a failure is worded as `get` words it.
 */
import type { AwsCredentials, AwsSdk, ServiceCallOptions } from '../../aws/aws-sdk';
import { describeAwsFailure, type AwsFailure } from '../../aws/describe-error';
import type { AgentChoice } from '../../aws/http-agents';
import { sdkCallOptions } from '../../aws/route-credentials';
import type { CallContext } from '../../call-context';

/** What a check's AWS calls are made with: its bound, and what the checks before it found. */
export interface AwsCaller {
  readonly context: CallContext;
  readonly sdk: AwsSdk;
  readonly agents: AgentChoice;
  readonly credentials: AwsCredentials;
  readonly region: string;
}

/** The answer and where it came from (` at <endpoint>`, and the proxy), or the failure. */
type AwsAnswer<T> =
  | { readonly ok: true; readonly value: T; readonly at: string }
  | { readonly ok: false; readonly error: unknown; readonly failure: AwsFailure };

/** Calls `action` once through `send` (a HelperError it throws is the failure's `error` too). */
export async function callAws<T>(
  aws: AwsCaller,
  action: string,
  send: (sdk: AwsSdk, call: ServiceCallOptions) => Promise<T>,
): Promise<AwsAnswer<T>> {
  const { context, agents, region } = aws;
  let endpoint: string | undefined;
  context.progress.step = `calling ${action}`;
  try {
    const value = await send(aws.sdk, {
      ...sdkCallOptions(context, agents.agents),
      credentials: aws.credentials,
      region,
      onRequest: (value) => {
        endpoint = value;
        context.progress.step = `calling ${action} at ${value}`;
      },
    });
    return { ok: true, value, at: endpoint ? ` at ${endpoint}${agents.via()}` : '' };
  } catch (error) {
    const failure = describeAwsFailure(error, {
      action,
      region,
      env: context.env,
      ...(endpoint ? { endpoint: `${endpoint}${agents.via()}` } : {}),
    });
    return { ok: false, error, failure };
  }
}
