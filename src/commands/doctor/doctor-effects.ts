/**
 * Everything `doctor` does to the world, as one seam (tests pass hand-written fakes), and the real
 * effects: files, PATH, child processes, HTTPS, the AWS SDK, the token cache, the routes.
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import type { AwsIdentity } from '../../aws/aws-identity';
import type { LoadSdk } from '../../aws/aws-sdk';
import { chooseAgents, type AgentChoice } from '../../aws/http-agents';
import { readCacheState, type CacheState } from '../../cache/cache-state';
import type { Config } from '../../config/parse-config';
import { NO_HOME } from '../../config/resolve-home';
import type { Bound } from '../../deadline';
import type { Env } from '../../env';
import { readSettingsFile } from '../../fs/read-regular-file';
import type { EcrRegistry, Registry } from '../../registry/parse-registry';
import type { Routes } from '../../routing/routes';
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
  /** The route of a host, and what decided it. */
  resolveRoute(registry: Registry): RouteResolution;
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
    // Not a FIFO or a device: they would hold the step until its bound, or forever.
    readText: async (file) => readSettingsFile(file)?.bytes.toString('utf8') ?? null,
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
    resolveRoute: (registry) => ({
      route: options.routes.routeFor(registry.host),
      source: config.routes.file
        ? `the config file ${config.routes.file}`
        : 'the built-in defaults (no universal-mode config file)',
    }),
    now: Date.now,
  };
}

/** Runs `<path> version` with the caller's environment, killed at the step's deadline. */
function runVersion(path: string, env: Env, bound: Bound): Promise<VersionAnswer> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      ['version'],
      {
        env: env as NodeJS.ProcessEnv,
        timeout: Math.max(1, bound.deadline - Date.now()),
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024,
        signal: bound.signal,
      },
      (error, stdout) => {
        if (error && typeof error.code !== 'number') {
          const reason = error.killed
            ? 'it did not answer `version` in time'
            : String(error.code ?? error.message);
          reject(new Error(reason));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout: String(stdout) });
      },
    );
  });
}
