/**
 * Everything `doctor` does to the world, as one seam (tests pass hand-written fakes), and the real
 * effects: files, PATH, child processes, HTTPS, the AWS SDK, the token cache, the routes, and for
 * `doctor --kubelet` the provider's own request path.
 */
import { realpath } from 'node:fs/promises';
import type { ActionContext } from '../../actions/action-context';
import { getCredentialsAction, kubeletRouteFor } from '../../actions/get-credentials';
import type { AwsIdentity } from '../../aws/aws-identity';
import type { LoadSdk } from '../../aws/aws-sdk';
import { chooseAgents, type AgentChoice } from '../../aws/http-agents';
import { readCacheState, type CacheState } from '../../cache/cache-state';
import type { CallContext } from '../../call-context';
import { NO_HOME } from '../../config/resolve-home';
import type { Bound } from '../../deadline';
import type { Env } from '../../env';
import { readSettingsFile } from '../../fs/read-regular-file';
import type { EcrRegistry } from '../../registry/parse-registry';
import { execProgram } from '../../stores/exec-program';
import { findOnPath } from '../../stores/find-helper';
import type { HelperOnPathEffects, VersionAnswer } from './check-helper-on-path';
import type { RouteResolution } from './check-route';
import { createHttpsGet, type HttpsGet, type HttpsGetOptions } from './https-get';

/** Everything doctor does to the world, passed in. */
export interface DoctorEffects extends HelperOnPathEffects {
  /** A file's text, or null when it does not exist. */
  readText(file: string): Promise<string | null>;
  readonly loadSdk: LoadSdk;
  chooseAgents(env: Env): Promise<AgentChoice>;
  httpsGet(options: HttpsGetOptions): HttpsGet;
  /** What the token cache holds for the registry and the route's identity (read-only). */
  cacheState(registry: EcrRegistry, identity: AwsIdentity): CacheState;
  /** The route of a server URL (as `get` is asked: host and port), and what decided it. */
  resolveRoute(serverUrl: string): RouteResolution;
  /** The route `get-credentials` takes for a registry (no fallback store), and what decided it. */
  kubeletRoute(registry: string): RouteResolution;
  /** `get-credentials`' answer to a CredentialProviderRequest, run within the check's bound. */
  askProvider(request: string, bound: CallContext): Promise<string>;
  now(): number;
}

/** A file's text as a check judges it: null when it does not exist, or why it could not be read. */
export async function readForCheck(
  effects: DoctorEffects,
  file: string,
): Promise<{ readonly text: string | null; readonly readError?: string }> {
  try {
    return { text: await effects.readText(file) };
  } catch (error) {
    return { text: null, readError: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

/**
 * Builds the effects for one run of the call: its routes resolve a host as `get` resolves it, and
 * its token cache answers `get-credentials`.
 */
export function doctorEffects(context: ActionContext): DoctorEffects {
  const { env, config } = context;
  const source = config.routes.file
    ? `the config file ${config.routes.file}`
    : 'the built-in defaults (no universal-mode config file)';
  return {
    // Not a FIFO or a device: they would hold the step until its bound, or forever.
    readText: async (file) => readSettingsFile(file)?.bytes.toString('utf8') ?? null,
    findOnPath: async (command) => findOnPath(command, env['PATH'] ?? ''),
    realPath: (path) => realpath(path),
    runVersion: (path, bound) => runVersion(path, env, bound),
    loadSdk: context.loadSdk,
    chooseAgents,
    httpsGet: createHttpsGet,
    cacheState: (registry, identity) =>
      readCacheState({
        dir: config.cacheDir,
        env,
        home: config.home ?? NO_HOME,
        registry,
        identity,
        now: Date.now(),
      }),
    resolveRoute: (serverUrl) => ({ route: context.routes.routeFor(serverUrl), source }),
    kubeletRoute: (registry) => ({ route: kubeletRouteFor(config.routes, registry), source }),
    // The check's own bound reaches the token cache and the AWS calls behind it.
    askProvider: (request, bound) =>
      getCredentialsAction({ ...context.within(bound), readInput: async () => request }),
    now: Date.now,
  };
}

/**
 * Runs `<path> version` with the caller's environment, stopped at the step's deadline, as `get`
 * runs a helper (exec-program.ts): its answer counts once it exits, so a background child that
 * keeps stdout open does not hold the step.
 */
async function runVersion(path: string, env: Env, bound: Bound): Promise<VersionAnswer> {
  const outcome = await execProgram({
    path,
    env,
    deadline: bound.deadline,
    signal: bound.signal,
  })('version', '');
  switch (outcome.kind) {
    case 'exited':
      return { code: outcome.status, stdout: outcome.stdout };
    case 'killed':
      return { code: null, stdout: '' };
    case 'missing':
      throw new Error(outcome.reason);
    case 'timeout':
    case 'no-time':
      throw new Error('it did not answer `version` in time');
    case 'too-large':
      throw new Error(`it printed more than ${outcome.limitBytes} bytes for \`version\``);
  }
}
