/** Tells the caller where each request of a client goes, for progress and error messages. */
import type { MiddlewareStack } from '@smithy/types';

/** Adds a middleware that calls `onRequest` with each request's `https://host[:port]`. */
export function reportRequests<Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output> },
  onRequest: (endpoint: string) => void,
): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const http = args.request as { protocol?: string; hostname?: string; port?: number };
      if (http.hostname) {
        onRequest(
          `${http.protocol ?? 'https:'}//${http.hostname}${http.port ? `:${http.port}` : ''}`,
        );
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'ecrTsReportRequests' },
  );
}
