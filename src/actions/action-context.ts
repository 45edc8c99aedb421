/**
 * One call, as compose.ts builds it and every action and command receives it: the call's context
 * (environment, log, bound, progress), its settings and stdin, and the effects it may use. Nothing
 * here is read from `process`.
 */
import type { LoadSdk } from '../aws/aws-sdk';
import type { TokenSource } from '../aws/token';
import type { CallContext } from '../call-context';
import type { Config } from '../config/parse-config';
import type { Routes } from '../routing/routes';
import type { OpenStore } from '../stores/credential-store';

/** The whole of one call: what the floors below see (CallContext), and what only actions use. */
export interface ActionContext extends CallContext {
  readonly config: Config;
  /** Reads stdin to EOF; `list` and `version` never call it. */
  readonly readInput: () => Promise<string>;
  /** What each host resolves to. */
  readonly routes: Routes;
  /** Opens the store a route names (docs/universal-mode.md). */
  readonly openStore: OpenStore;
  /** ECR tokens and Secrets Manager logins: the cache, in front of the AWS API. */
  readonly tokens: TokenSource;
  /** The AWS SDK, loaded on first use (doctor calls it directly, bypassing the cache). */
  readonly loadSdk: LoadSdk;
  /** The file this program runs from (the executable, or the npm bin script), when known. */
  readonly program?: string;
  /**
   * The same call within a shorter bound (one doctor check): its stores and tokens then wait,
   * and say what they wait for, within that bound.
   */
  within(bound: Pick<CallContext, 'deadline' | 'signal' | 'progress'>): ActionContext;
}
