/** The SDK's HTTP handler, bounded by the call's deadline and sent through our agents. */
import { Readable } from 'node:stream';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { attemptBudget, attemptTimeoutMs } from '../../deadline';
import type { HttpAgents } from '../aws-sdk';
import { boundResponses, readBoundedBody } from './bounded-responses';

/** The retry middleware numbers each attempt in this header: `attempt=2; max=3`. */
const ATTEMPT_HEADER = 'amz-sdk-request';

/** Sizes each attempt's request timeout from the time left when it starts (attemptTimeoutMs). */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
    private readonly deadline: number,
    private readonly maxAttempts: number,
  ) {
    super(options);
  }

  override async handle(
    ...[request, options = {}]: Parameters<NodeHttpHandler['handle']>
  ): ReturnType<NodeHttpHandler['handle']> {
    const numbers = /attempt=(\d+);\s*max=(\d+)/.exec(request.headers[ATTEMPT_HEADER] ?? '');
    const requestTimeout = attemptTimeoutMs({
      leftMs: this.deadline - Date.now(),
      attempt: numbers ? Number(numbers[1]) : 1,
      maxAttempts: numbers ? Number(numbers[2]) : this.maxAttempts,
    });
    const result = await super.handle(request, { ...options, requestTimeout });
    const port = request.port ? `:${request.port}` : '';
    const from = `${request.protocol}//${request.hostname}${port}`;
    const body = await readBoundedBody(result.response.body as Readable, from);
    result.response.body = Readable.from([body]);
    return result;
  }
}

/** A handler whose attempts fit in the time left, and the attempt count that goes with them. */
export function createHttpHandler(
  agents: HttpAgents,
  deadline: number,
): { handler: NodeHttpHandler; maxAttempts: number; destroy: () => void } {
  // Every SDK call (and the credential chain, which makes one of these first) is capped.
  boundResponses();
  const budget = attemptBudget(Math.max(1, deadline - Date.now()));
  const handler = new DeadlineHttpHandler(
    {
      connectionTimeout: budget.connectionTimeoutMs,
      // Without it a request timeout only logs a warning and the call waits on (docs/decisions.md).
      throwOnRequestTimeout: true,
      ...agents,
    },
    deadline,
    budget.maxAttempts,
  );
  return {
    handler,
    maxAttempts: budget.maxAttempts,
    // destroy() also destroys the agents it was given; shared agents are the caller's to end.
    destroy: () => {
      if (!agents.httpAgent && !agents.httpsAgent) handler.destroy();
    },
  };
}
