/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import type { Env } from '../env';
import { errorCode } from '../error-code';
import { processOwner, type Owner } from '../fs/owner';
import { MAX_SETTINGS_BYTES } from '../fs/read-regular-file';
import { readTrustedFile, UntrustedFileError } from '../fs/read-trusted-file';
import { HelperError } from '../errors';
import type { ValidationRecord } from '../cache/validation-record';
import { DEFAULT_ROUTE_TABLE, type RouteTable } from '../routing/route-table';
import { configFilePath } from './config-file-path';
import { parseConfig, type Config } from './parse-config';
import { resolveHome } from './resolve-home';
import {
  kubeletCacheDir,
  kubeletConfigFilePath,
  parseKubeletSettings,
  parseKubeletTimeout,
} from './kubelet-settings';

/**
 * The Config for this user: `env`, the home folder and the universal-mode config file. With
 * `routes: false` the file is not read (`version` and `--help` work whatever it holds).
 */
export function loadConfig(
  env: Env,
  options: {
    routes?: boolean;
    /** Which config file texts were checked whole before, kept in the cache folder (or none). */
    record?: (cacheDir: string | null) => ValidationRecord;
    /** The kubelet's provider (docs/kubelet.md), run as `euid`: its own defaults and checks. */
    kubelet?: { readonly euid: number };
    /** Whose config file it must be (default: this process's user). */
    owner?: Owner;
  } = {},
): Config {
  // node:os only when HOME does not do: under Bun, loading it was a few percent of a cache hit.
  const home = resolveHome(env, () => process.getBuiltinModule('node:os').userInfo().homedir);
  // Settings first: a bad ECR_TS_* variable is reported before the file is read.
  const docker = parseConfig(env, home);
  const config = options.kubelet ? kubeletConfig(env, docker, options.kubelet.euid) : docker;
  if (options.routes === false) return config;
  const record = options.record?.(config.cacheDir);
  const owner = options.owner ?? processOwner();
  const routes = options.kubelet
    ? loadRouteTable(kubeletConfigFilePath(env), owner, record)
    : loadRouteTable(configFilePath(env, home), owner, record);
  return { ...config, routes };
}

/** The helper's settings as the kubelet's provider uses them: its bound, cache and own settings. */
function kubeletConfig(env: Env, config: Config, euid: number): Config {
  return {
    ...config,
    timeoutMs: parseKubeletTimeout(env),
    cacheDir: kubeletCacheDir(env, euid, config.cacheDir),
    kubelet: parseKubeletSettings(env),
  };
}

const CANNOT_EXIST = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

/**
 * The config file's routes. No file means the defaults, unless ECR_TS_CONFIG named it (`explicit`):
 * then a missing file is an error, not a silent fallback to defaults.
 */
function loadRouteTable(
  where: { path: string | null; explicit: boolean },
  owner: Owner,
  record?: ValidationRecord,
): RouteTable {
  const { path } = where;
  if (path === null) return DEFAULT_ROUTE_TABLE;
  let text: string;
  try {
    // One small synchronous read and a stat: this runs on every call, the cache-hit `get` included.
    text = readTrustedFile(path, owner, MAX_SETTINGS_BYTES).bytes.toString('utf8');
  } catch (error) {
    // It decides where tokens go (an `ecr` alias): docs/security-model.md#config-files-others-can-write.
    if (error instanceof UntrustedFileError) {
      throw new HelperError(
        'CONFIG',
        `${path}: refusing to use this config file: ${error.message}`,
        { cause: error },
      );
    }
    const code = errorCode(error);
    // A default path that cannot exist (under a file, or a HOME too long) is no file either.
    if (CANNOT_EXIST.has(code) && !where.explicit) return DEFAULT_ROUTE_TABLE;
    throw new HelperError('CONFIG', `${path}: cannot read the config file (${code})`, {
      cause: error,
    });
  }
  // Checked whole once per text: a hundred entries cost a cold process several milliseconds, a
  // tenth of a cache hit. docs/universal-mode.md's promise holds: any edit is a new text, checked whole again.
  const { parseConfigFile, parseValidatedConfigFile } = configFileParser();
  if (record?.has(path, text)) return parseValidatedConfigFile(text, path);
  const table = parseConfigFile(text, path);
  record?.add(path, text);
  return table;
}

/**
 * The config file's parser, loaded only when there is a file to parse: most calls have none, and
 * evaluating the parser and its character tables was a tenth of a cache hit (docs/benchmarks.md).
 */
function configFileParser(): typeof import('./parse-config-file') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, synchronously
  return require('./parse-config-file') as typeof import('./parse-config-file');
}
