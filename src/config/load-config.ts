/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Env } from '../env';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { DEFAULT_ROUTE_TABLE, type RouteTable } from '../routing/route-table';
import { configFilePath } from './config-file-path';
import { parseConfigFile } from './parse-config-file';
import { parseConfig, type Config } from './parse-config';

/** The Config for this user: `env`, the home folder and the universal-mode config file. */
export function loadConfig(env: Env): Config {
  const home = homedir();
  // Settings first: a bad ECR_TS_* variable is reported before the file is read.
  const config = parseConfig(env, home);
  return { ...config, routes: loadRouteTable(configFilePath(env, home)) };
}

/** The config file's routes; no file means the defaults. */
export function loadRouteTable(file: string): RouteTable {
  let text: string;
  try {
    // One small synchronous read: this runs on every call, the cache-hit `get` included.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return DEFAULT_ROUTE_TABLE;
    throw new HelperError('CONFIG', `${file}: cannot read the config file (${code})`, {
      cause: error,
    });
  }
  return parseConfigFile(text, file);
}
