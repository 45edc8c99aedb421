/** What every step of one call shares: passed down from the composition, never read from `process`. */
import type { Env } from './env';
import type { Logger } from './log';

/** What the call is doing right now, so a timeout can say what it was waiting for. */
export interface Progress {
  step: string;
}

/** The environment, log, bound and progress of one helper call (or one library call). */
export interface CallContext {
  readonly env: Env;
  readonly logger: Logger;
  /** Aborted when the call's deadline passes (or the library caller aborts). */
  readonly signal: AbortSignal;
  /** Epoch milliseconds by which everything must be done. */
  readonly deadline: number;
  readonly progress: Progress;
}
