/** What every protocol action receives: inputs and effects passed in, never read from `process`. */
import type { Progress } from '../aws/token';
import type { Config, Env } from '../config/load-config';
import type { Logger } from '../log';
import type { TokenSource } from './token-source';

/** The dependencies of one helper invocation. */
export interface ActionContext {
  readonly env: Env;
  readonly config: Config;
  readonly logger: Logger;
  /** Reads stdin to EOF; `list` and `version` never call it. */
  readonly readInput: () => Promise<string>;
  readonly tokens: TokenSource;
  /** Aborted when the call's deadline passes. */
  readonly signal: AbortSignal;
  readonly deadline: number;
  readonly progress: Progress;
}
