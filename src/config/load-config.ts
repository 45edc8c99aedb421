/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import { userInfo } from 'node:os';
import type { Env } from '../env';
import { parseConfig, type Config } from './parse-config';
import { resolveHome } from './resolve-home';

/** The Config for this user: `env` and the home folder (where a config file will be read too). */
export function loadConfig(env: Env): Config {
  return parseConfig(
    env,
    resolveHome(env, () => userInfo().homedir),
  );
}
