/** What every protocol action receives: inputs and effects passed in, never read from `process`. */
import type { LoadSdk } from '../aws/aws-sdk';
import type { TokenSource } from '../aws/token';
import type { CallContext } from '../call-context';
import type { Config } from '../config/parse-config';
import type { Routes } from '../routing/routes';
import type { OpenStore } from '../stores/credential-store';

/** The dependencies of one helper invocation: the call's context plus settings, stdin, tokens. */
export interface ActionContext extends CallContext {
  readonly config: Config;
  /** Reads stdin to EOF; `list` and `version` never call it. */
  readonly readInput: () => Promise<string>;
  readonly tokens: TokenSource;
  /** Opens the store a route names (docs/universal-mode.md). */
  readonly openStore: OpenStore;
  /** What each host resolves to. */
  readonly routes: Routes;
  /** The AWS SDK, loaded on first use (doctor calls it directly, bypassing the cache). */
  readonly loadSdk: LoadSdk;
  /** The file this program runs from (the executable, or the npm bin script), when known. */
  readonly program?: string;
}
