/**
 * The helper's own config file as `configure --store` changes it (docs/configure.md): read where
 * it is, and written where it points. A symlinked file (a dotfiles manager's) is written through,
 * a symlinked folder is used, and what is written into must be this user's and closed to others
 * (the rule for every private folder, src/fs/owner.ts), as the helper will not trust it otherwise.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { makeDirSync, UnsafeFolderError } from '../fs/make-dir';
import { ownerProblem, processOwner, type Owner } from '../fs/owner';
import { inspectFolder } from '../fs/private-folder';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../fs/read-regular-file';
import { readSettingsFile } from '../fs/read-regular-file';
import { replaceIfUnchanged } from '../fs/replace-file';
import { backupNames, pruneBackups } from './config-backups';

/** The file's text, or null when there is none. */
export function readHelperConfig(path: string): string | null {
  try {
    return readRegularFile(path, MAX_SETTINGS_BYTES).bytes.toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new HelperError('CONFIG', `cannot read ${path} (${errorCode(error)})`);
  }
}

/**
 * Replaces the file at `path` (through a symlink) with `edit` of its current text; returns the
 * backup of the previous text, if there was one. Throws a CONFIG error naming what it refused.
 */
export function writeHelperConfig(options: {
  path: string;
  edit: (text: string | null) => string;
  now: () => Date;
}): string | null {
  const { path } = options;
  const owner = processOwner();
  const refuse = (reason: string): HelperError =>
    new HelperError(
      'CONFIG',
      `configure --store cannot write ${path}: ${reason}; nothing was changed`,
    );
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const { target, besideLink } = writableTarget(path, owner, refuse);
    const version = readSettingsFile(target);
    const text = version === null ? null : version.bytes.toString('utf8');
    let outcome;
    try {
      outcome = replaceIfUnchanged({
        file: target,
        expected: version,
        text: options.edit(text),
        // Its mode is kept (a dotfile may be 0644), never open to writes by others.
        mode: version === null ? 0o600 : Number(version.stats.mode & 0o755n),
        backupNames: version === null ? [] : backupNames(besideLink, options.now()),
      });
    } catch (error) {
      throw refuse(
        `cannot ${(error as { step?: string }).step ?? 'write'} it (${errorCode(error)})`,
      );
    }
    if (!outcome.replaced) continue;
    // The one backup policy (config-backups.ts): the newest few are kept.
    if (outcome.backup !== null) pruneBackups(besideLink);
    return outcome.backup;
  }
  throw refuse('it kept changing while configure wrote it');
}

/**
 * Where `path` is written (its folder made when missing, links followed, each part checked), and
 * its name in its own folder, links in the folder followed (backups go there, not next to a
 * dotfiles manager's target).
 */
function writableTarget(
  path: string,
  owner: Owner,
  refuse: (why: string) => HelperError,
): { target: string; besideLink: string } {
  const dir = dirname(path);
  if (lstatCode(dir) === 'ENOENT') {
    try {
      makeDirSync(dir, owner);
    } catch (error) {
      throw refuse(
        error instanceof UnsafeFolderError
          ? error.message
          : `cannot create ${dir} (${errorCode(error)})`,
      );
    }
  }
  let target: string;
  let besideLink: string;
  try {
    besideLink = join(realpathSync(dir), basename(path));
    // A symlinked folder or file (dotfiles) is used where it points.
    target =
      lstatCode(path) === 'ENOENT' ? join(realpathSync(dir), basename(path)) : realpathSync(path);
  } catch (error) {
    throw refuse(`cannot follow it (${errorCode(error)}): a symbolic link to nothing?`);
  }
  // The target's folder takes the new file, the link's the backup: both must be the user's.
  for (const folder of new Set([dirname(target), dirname(besideLink)])) {
    const state = inspectFolder(folder, owner);
    if (state.state === 'refused') throw refuse(state.reason);
  }
  try {
    const stat = lstatSync(target);
    if (!stat.isFile()) throw refuse(`${target}: it is not a regular file`);
    const problem = ownerProblem(stat, owner);
    if (problem) throw refuse(`${target}: ${problem}`);
  } catch (error) {
    if (error instanceof HelperError) throw error;
    if (errorCode(error) !== 'ENOENT')
      throw refuse(`cannot inspect ${target} (${errorCode(error)})`);
  }
  return { target, besideLink };
}

function lstatCode(path: string): string | undefined {
  try {
    lstatSync(path);
    return undefined;
  } catch (error) {
    return errorCode(error);
  }
}
