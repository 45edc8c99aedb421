/** Where the built-in file store keeps its one file (docs/universal-mode.md). */
import { isAbsolute, join } from 'node:path';
import { nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';
import { PRODUCT } from '../product';

/**
 * `$XDG_DATA_HOME/docker-credential-ecr-ts/credentials.json`, with `~/.local/share` when
 * XDG_DATA_HOME is unset or relative (the XDG spec says to ignore a relative one: resolved against
 * the working folder it would put passwords in whatever project docker ran in).
 */
export function fileStorePath(env: Env, home: string | null): string {
  const path = fileStorePathOrNull(env, home);
  if (path === null) {
    throw new HelperError(
      'STORE',
      `the file store needs a home folder or an absolute XDG_DATA_HOME (HOME is ${JSON.stringify(home ?? '')})`,
    );
  }
  return path;
}

/** The file store's path, or null when there is no home folder and no absolute XDG_DATA_HOME. */
export function fileStorePathOrNull(env: Env, home: string | null): string | null {
  const xdg = nonEmpty(env['XDG_DATA_HOME']);
  if (xdg && isAbsolute(xdg)) return join(xdg, PRODUCT, 'credentials.json');
  if (!home || !isAbsolute(home)) return null;
  return join(home, '.local', 'share', PRODUCT, 'credentials.json');
}
