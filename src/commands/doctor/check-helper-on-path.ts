/**
 * `helper-on-path`: that `docker-credential-<name>` (the helper docker runs for the host) resolves
 * on PATH, to this program: its path, and the version it answers.
 */
import { PRODUCT, VERSION } from '../../product';
import { HELPER_SUFFIX } from '../plan-configure';
import type { Bound } from '../../deadline';
import { failed, passed, type Finding } from './check';

/** What running `<helper> version` gave. */
export interface VersionAnswer {
  readonly code: number | null;
  readonly stdout: string;
}

/** The effects this check needs. */
export interface HelperOnPathEffects {
  /** The absolute path PATH resolves `command` to (an executable file), if any. */
  findOnPath(command: string): Promise<string | undefined>;
  /** The file a path ends at, symbolic links followed. */
  realPath(path: string): Promise<string>;
  /** Runs `<path> version`, bounded; throws when it cannot be run or does not end in time. */
  runVersion(path: string, bound: Bound): Promise<VersionAnswer>;
}

const INSTALL_HINT =
  'Install it into a folder on the PATH of the process that runs docker (./install.sh does), or add its folder to PATH; in a container, check the image.';

/** Finds and asks the helper docker would run (`helper`: the suffix, default ecr-ts). */
export async function checkHelperOnPath(
  helper: string,
  effects: HelperOnPathEffects,
  bound: Bound,
): Promise<Finding> {
  const command = `docker-credential-${helper}`;
  const path = await effects.findOnPath(command);
  if (path === undefined) return failed(`${command} is not on PATH`, INSTALL_HINT);
  const real = await effects.realPath(path).catch(() => path);
  const shown = real === path ? path : `${path} -> ${real}`;
  let answer: VersionAnswer;
  try {
    answer = await effects.runVersion(path, bound);
  } catch (error) {
    return failed(
      `${shown} could not be run (${error instanceof Error ? error.message : String(error)})`,
      INSTALL_HINT,
    );
  }
  const line = firstLine(answer.stdout);
  if (answer.code === 0 && line.startsWith(`${PRODUCT} `)) {
    const other = line.endsWith(` ${VERSION}`) ? '' : ` (this doctor is ${VERSION})`;
    return passed(`${shown}: ${line}${other}`);
  }
  const said = line ? `: ${JSON.stringify(line)}` : '';
  if (helper !== HELPER_SUFFIX) {
    return failed(
      `${shown} is another credential helper, not ${PRODUCT} (version exit ${answer.code ?? 'signal'}${said})`,
      'Point the docker config at ecr-ts (see docker-config), or keep the other helper on purpose.',
    );
  }
  return failed(
    `${shown} does not answer as ${PRODUCT} (version exit ${answer.code ?? 'signal'}${said})`,
    `Another program has this name: reinstall ${PRODUCT} there.`,
  );
}

/** The first line of a program's output, without control characters, at most 160 characters. */
function firstLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- strip what a foreign program may print
  const line = (text.split('\n')[0] ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
