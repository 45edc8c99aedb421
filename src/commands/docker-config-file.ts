/** Where docker's config file is, for every command that reads or edits it. */
import { join } from 'node:path';
import { NO_HOME } from '../config/resolve-home';
import { nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';

/** The docker config file: `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`. */
export function dockerConfigFile(env: Env): string {
  const dir = nonEmpty(env['DOCKER_CONFIG']);
  if (dir) return join(dir, 'config.json');
  const home = nonEmpty(env['HOME']);
  // main.ts sets HOME to NO_HOME for a user without a home folder (for the AWS SDK's sake).
  if (!home || home === NO_HOME) {
    throw new HelperError(
      'CONFIG',
      'neither DOCKER_CONFIG nor HOME is set: cannot find the docker config',
    );
  }
  return join(home, '.docker', 'config.json');
}
