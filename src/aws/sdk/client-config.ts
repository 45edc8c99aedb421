/** The configuration every service client of the helper shares. */
import type { AwsCredentialIdentity, Logger as SdkLogger } from '@smithy/types';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { PRODUCT, VERSION } from '../../product';
import type { ServiceCallOptions } from '../aws-sdk';
import { createHttpHandler } from './http-handler';
import { sdkLogger } from './sdk-logger';

/** A client's constructor options, and how to release its connections afterwards. */
interface ClientConfig {
  readonly config: {
    region: string;
    credentials: AwsCredentialIdentity;
    logger: SdkLogger;
    requestHandler: NodeHttpHandler;
    maxAttempts: number;
    useFipsEndpoint: boolean;
    useDualstackEndpoint: boolean;
    customUserAgent: string;
  };
  readonly destroy: () => void;
}

/** Bounded attempts through our agents, the SDK's chatter at debug level, our user agent. */
export function clientConfig(options: ServiceCallOptions): ClientConfig {
  const http = createHttpHandler(options.agents, options.deadline);
  return {
    config: {
      region: options.region,
      credentials: options.credentials,
      logger: sdkLogger(options.logger),
      requestHandler: http.handler,
      maxAttempts: http.maxAttempts,
      useFipsEndpoint: options.useFipsEndpoint ?? false,
      useDualstackEndpoint: options.useDualstackEndpoint ?? false,
      customUserAgent: `${PRODUCT}/${VERSION}`,
    },
    destroy: http.destroy,
  };
}
