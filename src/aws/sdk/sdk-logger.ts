/** The SDK's logger interface over ours. */
import type { Logger as SdkLogger } from '@smithy/types';
import type { Logger } from '../../log';
import { describeSdkLogPart } from '../describe-sdk-log';

/**
 * The SDK's own chatter (deprecations, retries, warnings) is debug detail, never noise on stderr.
 * `observe` also hears every line (the credential chain reports its progress only this way).
 */
export function sdkLogger(logger: Logger, observe?: (line: string) => void): SdkLogger {
  const log = (...parts: unknown[]): void => {
    const line = parts.map(describeSdkLogPart).join(' ');
    observe?.(line);
    logger.debug(`aws-sdk: ${line}`);
  };
  return { trace: log, debug: log, info: log, warn: log, error: log };
}
