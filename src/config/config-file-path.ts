/** Where the helper's own config file is (docs/universal-mode.md). */
import { isAbsolute, join } from 'node:path';
import { nonEmpty, type Env } from '../env';
import { PRODUCT } from '../product';

/**
 * `$ECR_TS_CONFIG`, else `$XDG_CONFIG_HOME/docker-credential-ecr-ts/config.json`, with
 * `~/.config` when XDG_CONFIG_HOME is unset or relative. `explicit`: named by ECR_TS_CONFIG (then
 * a missing file is an error, not the defaults). `path` is null when there is no home folder.
 */
export function configFilePath(
  env: Env,
  home: string | null,
): { path: string | null; explicit: boolean } {
  const explicit = nonEmpty(env['ECR_TS_CONFIG']);
  if (explicit) return { path: explicit, explicit: true };
  const xdg = nonEmpty(env['XDG_CONFIG_HOME']);
  // No home folder and no absolute XDG_CONFIG_HOME: no config file (never one under the cwd).
  const base =
    xdg && isAbsolute(xdg) ? xdg : home && isAbsolute(home) ? join(home, '.config') : null;
  return { path: base && join(base, PRODUCT, 'config.json'), explicit: false };
}
