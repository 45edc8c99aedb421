/** The bound on one call: docker clients wait forever for a helper, so every path must end. */
import { HelperError } from './errors';
import type { Progress } from './aws/token';

/** Runs `work`, or rejects with a TIMEOUT error naming what was pending once `timeoutMs` passes. */
export async function withDeadline<T>(options: {
  timeoutMs: number;
  progress: Progress;
  controller: AbortController;
  work: () => Promise<T>;
}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = options.timeoutMs / 1000;
      options.controller.abort();
      reject(
        new HelperError(
          'TIMEOUT',
          `timed out after ${seconds} s while ${options.progress.step}. Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).`,
        ),
      );
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([options.work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
