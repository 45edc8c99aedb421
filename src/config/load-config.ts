/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import { readFileSync } from 'node:fs';
import type { Env } from '../env';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { DEFAULT_ROUTE_TABLE, type RouteTable } from '../routing/route-table';
import { configFilePath } from './config-file-path';
import { parseConfigFile } from './parse-config-file';
import { parseConfig, type Config } from './parse-config';
import { resolveHome } from './resolve-home';

/**
 * The Config for this user: `env`, the home folder and the universal-mode config file. With
 * `routes: false` the file is not read (`version` and `--help` work whatever it holds).
 */
export function loadConfig(env: Env, options: { routes?: boolean } = {}): Config {
  // node:os only when HOME does not do: under Bun, loading it was a few percent of a cache hit.
  const home = resolveHome(env, () => process.getBuiltinModule('node:os').userInfo().homedir);
  // Settings first: a bad ECR_TS_* variable is reported before the file is read.
  const config = parseConfig(env, home);
  if (options.routes === false) return config;
  return { ...config, routes: loadRouteTable(configFilePath(env, home)) };
}

const CANNOT_EXIST = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

/**
 * The config file's routes. No file means the defaults, unless ECR_TS_CONFIG named it (`explicit`):
 * then a missing file is an error, not a silent fallback to defaults.
 */
export function loadRouteTable(where: { path: string | null; explicit: boolean }): RouteTable {
  const { path } = where;
  if (path === null) return DEFAULT_ROUTE_TABLE;
  let text: string;
  try {
    // One small synchronous read: this runs on every call, the cache-hit `get` included.
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    // A default path that cannot exist (under a file, or a HOME too long) is no file either.
    if (CANNOT_EXIST.has(code) && !where.explicit) return DEFAULT_ROUTE_TABLE;
    throw new HelperError('CONFIG', `${path}: cannot read the config file (${code})`, {
      cause: error,
    });
  }
  return parseConfigFile(text, path);
}
