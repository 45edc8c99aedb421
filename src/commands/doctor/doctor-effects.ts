/**
 * Everything `doctor` does to the world, as one seam (tests pass hand-written fakes), and the real
 * effects: files, PATH, child processes, HTTPS, the AWS SDK, the token cache, the routes.
 */
import { realpath } from 'node:fs/promises';
import type { AwsIdentity } from '../../aws/aws-identity';
import type { LoadSdk } from '../../aws/aws-sdk';
import { chooseAgents, type AgentChoice } from '../../aws/http-agents';
import { readCacheState, type CacheState } from '../../cache/cache-state';
import type { Config } from '../../config/parse-config';
import { NO_HOME } from '../../config/resolve-home';
import type { Bound } from '../../deadline';
import type { Env } from '../../env';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../../fs/read-regular-file';
import type { EcrRegistry } from '../../registry/parse-registry';
import type { Routes } from '../../routing/routes';
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
  now(): number;
}

/** Builds the effects for one run in this environment. */
export function doctorEffects(options: {
  readonly env: Env;
  readonly config: Config;
  /** The call's routes: the host is resolved as `get` resolves it. */
  readonly routes: Routes;
  readonly loadSdk: LoadSdk;
}): DoctorEffects {
  const { env, config } = options;
  return {
    async readText(file) {
      try {
        // Not a FIFO or a device: they would hold the step until its bound, or forever.
        return readRegularFile(file, MAX_SETTINGS_BYTES).bytes.toString('utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    findOnPath: async (command) => findOnPath(command, env['PATH'] ?? ''),
    realPath: (path) => realpath(path),
    runVersion: (path, bound) => runVersion(path, env, bound),
    loadSdk: options.loadSdk,
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
    resolveRoute: (serverUrl) => ({
      route: options.routes.routeFor(serverUrl),
      source: config.routes.file
        ? `the config file ${config.routes.file}`
        : 'the built-in defaults (no universal-mode config file)',
    }),
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
    maxOutputBytes: 64 * 1024,
  })('version', '');
  switch (outcome.kind) {
    case 'exited':
      return { code: outcome.status, stdout: outcome.stdout };
    case 'killed':
      return { code: null, stdout: '' };
    case 'missing':
      throw new Error(outcome.reason);
    case 'timeout':
      throw new Error('it did not answer `version` in time');
    case 'too-large':
      throw new Error(`it printed more than ${outcome.limitBytes} bytes for \`version\``);
  }
}
