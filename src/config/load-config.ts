/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import { realpathSync, type BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import type { Env } from '../env';
import { errorCode } from '../error-code';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../fs/read-regular-file';
import { ownerProblem, type Owner } from '../fs/owner';
import { inspectFolder } from '../fs/private-folder';
import { HelperError, isHelperError } from '../errors';
import type { ValidationRecord } from '../cache/validation-record';
import { DEFAULT_ROUTE_TABLE, type RouteTable } from '../routing/route-table';
import { configFilePath } from './config-file-path';
import { parseConfigFile, parseValidatedConfigFile } from './parse-config-file';
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
  } = {},
): Config {
  // node:os only when HOME does not do: under Bun, loading it was a few percent of a cache hit.
  const home = resolveHome(env, () => process.getBuiltinModule('node:os').userInfo().homedir);
  // Settings first: a bad ECR_TS_* variable is reported before the file is read.
  const docker = parseConfig(env, home);
  const config = options.kubelet ? kubeletConfig(env, docker, options.kubelet.euid) : docker;
  if (options.routes === false) return config;
  const record = options.record?.(config.cacheDir);
  const routes = options.kubelet
    ? loadRouteTable(kubeletConfigFilePath(env), record, options.kubelet)
    : loadRouteTable(configFilePath(env, home), record);
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
  record?: ValidationRecord,
  /** Refuse a file (or folder) that another user owns or may write (docs/security-model.md). */
  trust?: { readonly euid: number },
): RouteTable {
  const { path } = where;
  if (path === null) return DEFAULT_ROUTE_TABLE;
  let text: string;
  try {
    // One small synchronous read: this runs on every call, the cache-hit `get` included.
    const file = readRegularFile(path, MAX_SETTINGS_BYTES);
    if (trust) checkTrusted(path, file.stats, trust.euid);
    text = file.bytes.toString('utf8');
  } catch (error) {
    if (isHelperError(error)) throw error;
    const code = errorCode(error);
    // A default path that cannot exist (under a file, or a HOME too long) is no file either.
    if (CANNOT_EXIST.has(code) && !where.explicit) return DEFAULT_ROUTE_TABLE;
    throw new HelperError('CONFIG', `${path}: cannot read the config file (${code})`, {
      cause: error,
    });
  }
  // Checked whole once per text: a hundred entries cost a cold process several milliseconds, a
  // tenth of a cache hit. docs/universal-mode.md's promise holds: any edit is a new text, checked whole again.
  if (record?.has(path, text)) return parseValidatedConfigFile(text, path);
  const table = parseConfigFile(text, path);
  record?.add(path, text);
  return table;
}

/**
 * Throws CONFIG when the file, or the folder it is in, is not its user's (or root's) alone: the
 * owner rule of the cache (docs/security-model.md), root's system files trusted too.
 */
function checkTrusted(path: string, stats: BigIntStats, euid: number): void {
  const owner: Owner = { euid, rootToo: true };
  const problem = ownerProblem({ uid: Number(stats.uid), mode: Number(stats.mode) }, owner);
  const folder = inspectFolder(dirname(realpathSync(path)), owner);
  const reason =
    problem ?? (folder.state === 'refused' ? `its folder ${folder.reason}` : undefined);
  if (reason) {
    throw new HelperError(
      'CONFIG',
      `${path}: refusing the config file, since its routes decide where registry passwords go: ${reason}`,
    );
  }
}
