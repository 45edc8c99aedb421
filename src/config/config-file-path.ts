/** Where the helper's own config file is (docs/universal-mode.md). */
import { isAbsolute, join } from 'node:path';
import { nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';
import { PRODUCT } from '../product';

/**
 * `$ECR_TS_CONFIG`, else `$XDG_CONFIG_HOME/docker-credential-ecr-ts/config.json`, with
 * `~/.config` when XDG_CONFIG_HOME is unset or relative. `explicit`: named by ECR_TS_CONFIG (then
 * a missing file is an error, not the defaults). `path` is null when there is no home folder.
 * Throws a CONFIG error for an ECR_TS_CONFIG that is relative (after `~/` is expanded).
 */
export function configFilePath(
  env: Env,
  home: string | null,
): { path: string | null; explicit: boolean } {
  const explicit = nonEmpty(env['ECR_TS_CONFIG']);
  if (explicit) return { path: explicitPath(explicit, home), explicit: true };
  const xdg = nonEmpty(env['XDG_CONFIG_HOME']);
  // No home folder and no absolute XDG_CONFIG_HOME: no config file (never one under the cwd).
  const base =
    xdg && isAbsolute(xdg) ? xdg : home && isAbsolute(home) ? join(home, '.config') : null;
  return { path: base && join(base, PRODUCT, 'config.json'), explicit: false };
}

/**
 * ECR_TS_CONFIG as AWS_ECR_CACHE_DIR is read (parse-config.ts): `~/` is the home folder (set in a
 * systemd unit or a CI file, no shell expanded it), and a relative path is refused. Resolved
 * against the working folder it would be whatever file of that name lies in the project docker
 * runs in. Refused rather than ignored: the defaults instead of the file the user named would
 * route registries silently elsewhere.
 */
function explicitPath(value: string, home: string | null): string {
  const invalid = (why: string): HelperError =>
    new HelperError('CONFIG', `invalid ECR_TS_CONFIG ${JSON.stringify(value)}: ${why}`);
  if (value.startsWith('~/')) {
    if (home === null) throw invalid('there is no home folder for ~; give the full path');
    return join(home, value.slice(2));
  }
  if (!isAbsolute(value)) {
    throw invalid(
      'not an absolute path (a relative one would be read from the folder docker runs in); give the full path, or one starting with ~/',
    );
  }
  return value;
}
