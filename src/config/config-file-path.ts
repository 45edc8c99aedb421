/** Where the universal-mode config file lives (SPEC §6). Pure. */
import { isAbsolute, join } from 'node:path';
import { nonEmpty, type Env } from '../env';
import { PRODUCT } from '../product';

/** `$ECR_TS_CONFIG`, else `$XDG_CONFIG_HOME/<product>/config.json` (`~/.config` when unset or relative). */
export function configFilePath(env: Env, home: string): string {
  const explicit = nonEmpty(env['ECR_TS_CONFIG']);
  if (explicit) return explicit;
  // As for the cache: a relative XDG value is invalid by the XDG spec and ignored.
  const xdg = nonEmpty(env['XDG_CONFIG_HOME']);
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.config'), PRODUCT, 'config.json');
}
