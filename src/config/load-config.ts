/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import type { Env } from '../env';
import { parseConfig, type Config } from './parse-config';
import { resolveHome } from './resolve-home';

/** The Config for this user: `env` and the home folder (where a config file will be read too). */
export function loadConfig(env: Env): Config {
  // node:os only when HOME does not do: under Bun, loading it was a few percent of a cache hit.
  return parseConfig(
    env,
    resolveHome(env, () => process.getBuiltinModule('node:os').userInfo().homedir),
  );
}
