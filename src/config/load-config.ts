/** Loads the helper's Config: reads what the settings depend on, then parses them. */
import { homedir } from 'node:os';
import type { Env } from '../env';
import { parseConfig, type Config } from './parse-config';

/** The Config for this user: `env` and the home folder (where a config file will be read too). */
export function loadConfig(env: Env): Config {
  return parseConfig(env, homedir());
}
