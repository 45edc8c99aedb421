/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import type { Env } from '../env';
import { parseConfig, type Config } from './parse-config';

/** The Config for this user: `env` and the home folder (where a config file will be read too). */
export function loadConfig(env: Env): Config {
  return parseConfig(env, homeFolder(env));
}

/**
 * The home folder as os.homedir() finds it: $HOME when set, else the password database. node:os
 * is loaded only in the second case: under Bun, loading it was a few percent of a cache hit.
 */
function homeFolder(env: Env): string {
  const home = env['HOME'];
  return home ? home : process.getBuiltinModule('node:os').homedir();
}
