/**
 * THE wiring of a call, for the executable (main.ts) and the library (index.ts) alike, built in the
 * order of use: settings, logger and routes once; then, for the work, its bound, the stores and
 * the tokens, in one ActionContext. Both bound their work the same way and read and write the
 * same cache entries.
 */
import type { ActionContext } from './actions/action-context';
import { createApiTokenSource } from './aws/api-token-source';
import { loadSdk } from './aws/load-sdk';
import type { TokenSource } from './aws/token';
import { createCachedTokenSource } from './cache/cached-token-source';
import { validationRecordIn } from './cache/validation-record';
import type { CallContext } from './call-context';
import { loadConfig } from './config/load-config';
import type { Config } from './config/parse-config';
import { NO_HOME } from './config/resolve-home';
import { withDeadline, workDeadline } from './deadline';
import type { Env } from './env';
import { HelperError } from './errors';
import { createLogger, type Logger } from './log';
import { logSink } from './log-sink';
import { createRoutes } from './routing/routes';
import { createOpenStore } from './stores/open-store';

/** What the caller knows of its process (main.ts reads it there; nothing here reads `process`). */
interface Invocation {
  readonly env: Env;
  /** Epoch milliseconds the bound counts from (default: now). */
  readonly startedAt?: number;
  /** Reads stdin to EOF (default: there is none to read). */
  readonly readInput?: () => Promise<string>;
  /** The user whose file store it is (files of others are refused). */
  readonly uid: number;
  /** Paths this program runs from: a helper resolving to one of them is refused. */
  readonly self: readonly string[];
  /** false: the settings without the config file (`version` and `--help` work whatever it holds). */
  readonly routes?: boolean;
  /**
   * The executable's effective user, when the cache folder may record which config file texts
   * were checked whole (load-config.ts); without it, each call checks the whole file.
   */
  readonly recordChecked?: { readonly euid: number | undefined };
  /**
   * The kubelet's side (`get-credentials`, `configure`/`doctor --kubelet`, docs/kubelet.md), run
   * as `euid`: its bound, cache folder and config file, and that file's owner checks.
   */
  readonly kubelet?: { readonly euid: number };
  /** The file this program runs from, when known (what `configure --kubelet` links to). */
  readonly program?: string;
  /** Bound on the call in milliseconds (default: ECR_TS_TIMEOUT, else 10 s). */
  readonly timeoutMs?: number;
  /** Where log lines go (default: ECR_TS_LOG_FILE or stderr, at ECR_TS_LOG_LEVEL). */
  readonly logger?: Logger;
  /** The caller's own abort. */
  readonly signal?: AbortSignal | undefined;
}

/** One composed call: its settings and logger, and its work, run bounded. */
export interface Wiring {
  readonly config: Config;
  readonly logger: Logger;
  /**
   * Runs `work` with the call's ActionContext, bounded by `boundMs` (default: the timeout)
   * counted from the start of the call; past it, rejects with a TIMEOUT error naming the step.
   */
  run<T>(work: (context: ActionContext) => Promise<T>, boundMs?: number): Promise<T>;
}

/** Composes one call; a bad setting or config file throws its CONFIG error here. */
export function compose(invocation: Invocation): Wiring {
  const { env } = invocation;
  const startedAt = invocation.startedAt ?? Date.now();
  const { recordChecked } = invocation;
  const loaded = loadConfig(env, {
    routes: invocation.routes !== false,
    ...(recordChecked ? { record: (dir) => validationRecordIn(dir, recordChecked) } : {}),
    ...(invocation.kubelet ? { kubelet: invocation.kubelet } : {}),
  });
  const config = { ...loaded, timeoutMs: invocation.timeoutMs ?? loaded.timeoutMs };
  const logger =
    invocation.logger ?? createLogger({ level: config.logLevel, ...logSink(config.logFile) });
  for (const warning of config.warnings) logger.warn(warning);
  const routes = createRoutes(config.routes);
  const readInput = invocation.readInput ?? noInput;
  return {
    config,
    logger,
    run(work, boundMs = config.timeoutMs) {
      const progress = { step: 'starting' };
      return withDeadline({
        timeoutMs: boundMs,
        deadline: workDeadline(startedAt, boundMs, config.endBy),
        progress,
        signal: invocation.signal,
        work: ({ deadline, signal }) =>
          work(contextFor({ env, logger, signal, deadline, progress })),
      });
    },
  };

  /** The ActionContext of work bounded as `call` says: its stores and tokens wait within it. */
  function contextFor(call: CallContext): ActionContext {
    return {
      ...call,
      config,
      readInput,
      routes,
      openStore: createOpenStore({
        context: call,
        home: config.home,
        uid: invocation.uid,
        self: invocation.self,
      }),
      tokens: createTokenSource(call, config),
      loadSdk,
      ...(invocation.program !== undefined ? { program: invocation.program } : {}),
      within: (bound) => contextFor({ ...call, ...bound }),
    };
  }
}

/** The API source (SDK loaded lazily), with the cache in front unless AWS_ECR_DISABLE_CACHE. */
function createTokenSource(context: CallContext, config: Config): TokenSource {
  const api = createApiTokenSource(context, loadSdk);
  if (config.cacheDir === null) return api;
  return createCachedTokenSource({
    context,
    dir: config.cacheDir,
    source: api,
    // No home folder: no default AWS config files either (see resolve-home.ts).
    home: config.home ?? NO_HOME,
    now: Date.now,
    timeoutMs: config.timeoutMs,
  });
}

async function noInput(): Promise<string> {
  throw new HelperError('INTERNAL', 'internal error: this call has no input to read');
}
