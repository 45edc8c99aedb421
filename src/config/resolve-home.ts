/**
 * The user's home folder without os.homedir(), which throws for a uid with no passwd entry and no
 * HOME (arbitrary-UID containers run through `env -i`) and for a HOME over 4 KB: a missing home
 * only means no default cache folder, never a failed call.
 */
import { isAbsolute } from 'node:path';
import type { Env } from '../env';

/**
 * HOME for a user with no home folder: the AWS SDK needs one (it calls os.homedir() without it,
 * which throws), and nothing can ever be read or created under /dev/null.
 */
export const NO_HOME = '/dev/null';

/**
 * HOME when it is an absolute path, else the passwd entry's home (`passwdHome`, which may throw);
 * null when neither exists. An empty or relative HOME is never used: resolved against the working
 * folder it would put registry passwords into whatever project docker ran in.
 */
export function resolveHome(env: Env, passwdHome: () => string): string | null {
  const home = env['HOME'];
  if (home && isAbsolute(home)) return home;
  try {
    const entry = passwdHome();
    return entry && isAbsolute(entry) ? entry : null;
  } catch {
    return null;
  }
}

/**
 * The HOME the process must have so that the AWS SDK, which reads it itself, agrees with `home`
 * (otherwise it reads `./.aws/config` for an empty HOME and throws for a missing one); undefined
 * when HOME is right as it is.
 */
export function homeForSdk(env: Env, home: string | null): string | undefined {
  const wanted = home ?? NO_HOME;
  return env['HOME'] === wanted ? undefined : wanted;
}
