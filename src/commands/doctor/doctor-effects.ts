/** The real effects of `doctor`: files, PATH, child processes, HTTPS, the AWS SDK, the cache. */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { LoadSdk } from '../../aws/aws-sdk';
import { chooseAgents } from '../../aws/http-agents';
import { readCacheState } from '../../cache/cache-state';
import type { Config } from '../../config/parse-config';
import type { Env } from '../../env';
import type { StepBound } from './check';
import { createHttpsGet } from './https-get';
import type { DoctorEffects } from './run-doctor';
import type { VersionAnswer } from './check-helper-on-path';
import { NO_HOME } from '../../config/resolve-home';
import { resolveRoute } from '../../routing/resolve-route';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../../fs/read-regular-file';

/** Builds the effects for one run in this environment. */
export function doctorEffects(options: {
  readonly env: Env;
  readonly config: Config;
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
    findOnPath: (command) => findOnPath(command, env['PATH'] ?? ''),
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
      route: resolveRoute(registry.host, config.routes),
      source: config.routes.file
        ? `the config file ${config.routes.file}`
        : 'the built-in defaults (no universal-mode config file)',
    }),
    now: Date.now,
  };
}

/** The first executable file named `command` in PATH's folders (as docker's exec.LookPath). */
async function findOnPath(command: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    // An empty or relative entry would depend on where docker was started: docker skips them too.
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    try {
      if ((await stat(candidate)).isFile()) {
        await access(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // Not here, or not executable: keep looking, as a shell does.
    }
  }
  return undefined;
}

/** Runs `<path> version` with the caller's environment, killed at the step's deadline. */
function runVersion(path: string, env: Env, bound: StepBound): Promise<VersionAnswer> {
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
