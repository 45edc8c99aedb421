/** The SDK's HTTP handler, bounded by the call's deadline and sent through our agents. */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { attemptBudget } from '../../deadline';
import type { HttpAgents } from '../aws-sdk';

/** A handler whose attempts fit in the time left, and the attempt count that goes with them. */
export function createHttpHandler(
  agents: HttpAgents,
  deadline: number,
): { handler: NodeHttpHandler; maxAttempts: number; destroy: () => void } {
  const budget = attemptBudget(Math.max(1, deadline - Date.now()));
  const handler = new NodeHttpHandler({
    connectionTimeout: budget.connectionTimeoutMs,
    requestTimeout: budget.requestTimeoutMs,
    // Without it a request timeout only logs a warning and the call waits on (SPEC §8).
    throwOnRequestTimeout: true,
    ...agents,
  });
  return {
    handler,
    maxAttempts: budget.maxAttempts,
    // destroy() also destroys the agents it was given; shared agents are the caller's to end.
    destroy: () => {
      if (!agents.httpAgent && !agents.httpsAgent) handler.destroy();
    },
  };
}
