/** STS AssumeRole with given base credentials, in the registry's own region and partition. */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AssumeRoleOptions, AwsCredentials } from '../aws-sdk';
import { clientConfig } from './client-config';
import { reportRequests } from './report-requests';

/** Assumes `roleArn` (with `externalId` when given) and returns the role's credentials. */
export async function assumeRole(options: AssumeRoleOptions): Promise<AwsCredentials> {
  const { config, destroy } = clientConfig(options);
  try {
    const provider = fromTemporaryCredentials({
      masterCredentials: options.credentials,
      params: {
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName,
        ...(options.externalId !== undefined ? { ExternalId: options.externalId } : {}),
      },
      // The region picks STS's regional endpoint and so its partition (cn-*: amazonaws.com.cn).
      clientConfig: config,
      clientPlugins: [
        { applyToStack: (stack) => reportRequests({ middlewareStack: stack }, options.onRequest) },
      ],
    });
    return await provider();
  } finally {
    destroy();
  }
}
