/**
 * Reads a settings file that decides where secrets go (the universal-mode config file: an `ecr`
 * alias hands a host the user's ECR token), trusting it as the cache folder is trusted
 * (docs/security-model.md#config-files-others-can-write): a regular file of this user, or of root,
 * that group and others cannot write, in a folder of this user or root that they cannot write
 * either. A symlink is followed (dotfiles), and then the folder holding the link is judged too:
 * whoever can write it can point the link elsewhere.
 *
 * Cheap enough for every call: the file is judged on the descriptor it is read from (the fstat a
 * read makes anyway), plus one stat of its folder; a symlink costs a realpath and a second stat.
 */
import { realpathSync, statSync, type BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import { errorCode } from '../error-code';
import { ownerProblem, type Owner } from './owner';
import { readRegularFile, type FileVersion } from './read-regular-file';

/** A file or folder nobody but the user (or root) may change; its message is the reason. */
export class UntrustedFileError extends Error {
  override readonly name = 'UntrustedFileError';
}

/**
 * The file at `path`, read as readRegularFile() reads it (at most `maxBytes`, never waiting on a
 * FIFO), if `owner` may trust it; throws UntrustedFileError when it may not, or the file-system
 * error that stopped the read (ENOENT for a missing file or a dangling link).
 */
export function readTrustedFile(path: string, owner: Owner, maxBytes: number): FileVersion {
  const judge = (stats: BigIntStats): void => {
    const problem = ownerProblem(numbers(stats), { ...owner, rootToo: true });
    if (problem !== undefined) throw new UntrustedFileError(problem);
  };
  let file: FileVersion;
  let real = path;
  try {
    file = readRegularFile(path, maxBytes, { noFollow: true, judge });
  } catch (error) {
    // ELOOP: the name is a symlink (never a loop: those fail realpath below).
    if (errorCode(error) !== 'ELOOP') throw error;
    real = realpathSync(path);
    judgeFolder(dirname(path), owner, 'the folder of the link');
    file = readRegularFile(real, maxBytes, { noFollow: true, judge });
  }
  judgeFolder(dirname(real), owner, 'its folder');
  return file;
}

/** Refuses a folder another user (not root) owns, or that group or others can write. */
function judgeFolder(dir: string, owner: Owner, what: string): void {
  // stat, not lstat: the folder the name is really in, whatever links lead there.
  const stat = statSync(dir);
  const problem = stat.isDirectory()
    ? ownerProblem(stat, { ...owner, rootToo: true })
    : 'it is not a folder';
  if (problem !== undefined) throw new UntrustedFileError(`${what} ${dir}: ${problem}`);
}

function numbers(stats: BigIntStats): { uid: number; mode: number } {
  return { uid: Number(stats.uid), mode: Number(stats.mode) };
}
