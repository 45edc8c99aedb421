/**
 * The part of a call that every floor below the actions sees (ActionContext, in
 * src/actions/action-context.ts, is the whole call): passed down from compose.ts, never read from
 * `process`.
 */
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
