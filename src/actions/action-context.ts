/** What every protocol action receives: inputs and effects passed in, never read from `process`. */
import type { TokenSource } from '../aws/token';
import type { CallContext } from '../call-context';
import type { Config } from '../config/parse-config';

/** The dependencies of one helper invocation: the call's context plus settings, stdin, tokens. */
export interface ActionContext extends CallContext {
  readonly config: Config;
  /** Reads stdin to EOF; `list` and `version` never call it. */
  readonly readInput: () => Promise<string>;
  readonly tokens: TokenSource;
}
