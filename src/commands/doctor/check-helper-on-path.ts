/**
 * `helper-on-path`: that `docker-credential-<name>` (the helper docker runs for the host) resolves
 * on PATH, to this program: its path, and the version it answers.
 */
import { PRODUCT, VERSION } from '../../product';
import { oneLine } from '../../quote';
import { HELPER_SUFFIX } from '../plan-configure';
import type { Bound } from '../../deadline';
import { isHelperName } from '../../text-checks';
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
  // The rule routes follow: a name with a path in it would be looked up outside PATH.
  if (!isHelperName(helper)) {
    return failed(`${JSON.stringify(command)} is not a credential helper name; nothing was run`);
  }
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
  const line = oneLine(answer.stdout.split('\n')[0] ?? '', 160);
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
