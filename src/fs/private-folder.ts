/**
 * Whether a folder may hold private files (the token cache, the file store), judged as OpenSSH
 * judges ~/.ssh: a real folder, not a symlink, of this user, that nobody else can write
 * (owner.ts). A folder that fails is not used at all (docs/security-model.md).
 *
 * Creating the folder is judged too: not inside another user's folder, which is what root running
 * with a user's HOME (`sudo -E`) would do, leaving root-owned folders that break the user's tools;
 * not under a HOME that does not exist; never relative to the working folder.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { errorCode } from '../error-code';
import { ownerProblem, type Owner } from './owner';

/** Usable as it is, absent, or refused with the reason (`<path>: <why>`, for one message). */
export type FolderState =
  | { readonly state: 'usable' }
  | { readonly state: 'absent' }
  | { readonly state: 'refused'; readonly reason: string };

/** The parts of an lstat result the judgement reads. */
type FolderStat = Pick<Stats, 'uid' | 'mode'> & {
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
};

/** Why an existing `dir` (its lstat) must not be used, or undefined when it may. Pure. */
export function folderProblem(dir: string, stat: FolderStat, owner: Owner): string | undefined {
  if (stat.isSymbolicLink()) return `${dir}: it is a symbolic link`;
  if (!stat.isDirectory()) return `${dir}: it is not a folder`;
  const problem = ownerProblem(stat, owner);
  return problem === undefined ? undefined : `${dir}: ${problem}`;
}

/**
 * Why the missing `dir` must not be created inside `ancestor` (its nearest existing ancestor),
 * or undefined when it may. Pure.
 */
export function creationProblem(options: {
  dir: string;
  ancestor: string;
  ancestorUid: number;
  owner: Owner;
  /** False when HOME does not exist. */
  homeExists: boolean;
}): string | undefined {
  const { dir, ancestor, owner } = options;
  const home = owner.home;
  if (home && isAbsolute(home) && isInside(dir, home) && !options.homeExists) {
    return `${dir}: not creating it, as HOME (${home}) does not exist`;
  }
  const { euid } = owner;
  // Root-owned ancestors (/, /tmp, /var/cache) are where anyone's folders start.
  if (euid !== undefined && options.ancestorUid !== euid && options.ancestorUid !== 0) {
    return `${dir}: not creating it inside ${ancestor}, which belongs to uid ${options.ancestorUid}, not to this user (uid ${euid})`;
  }
  return undefined;
}

/**
 * Judges `dir` without changing anything: an lstat, and with `creating`, a few stat calls more
 * to judge whether a missing `dir` may be made.
 */
export function inspectFolder(
  dir: string,
  owner: Owner,
  options: { readonly creating?: boolean } = {},
): FolderState {
  if (!isAbsolute(dir)) {
    return refused(
      `${JSON.stringify(dir)}: not an absolute path, and the working folder is no place for passwords`,
    );
  }
  let stat: Stats;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    const code = errorCode(error);
    // A path that cannot exist (under a file, or longer than the system allows) holds nothing;
    // the mkdir that would make it says why.
    if (code === 'ENOTDIR' || code === 'ENAMETOOLONG') return { state: 'absent' };
    if (code !== 'ENOENT') return refused(`${dir}: cannot inspect it (${code})`);
    return options.creating ? creatable(dir, owner) : { state: 'absent' };
  }
  const problem = folderProblem(dir, stat, owner);
  return problem ? refused(problem) : { state: 'usable' };
}

/** Absent, or refused when the missing `dir` must not be made. */
function creatable(dir: string, owner: Owner): FolderState {
  const found = nearestExisting(dir);
  if (!found) return { state: 'absent' };
  const home = owner.home;
  const homeExists = !home || !isAbsolute(home) || typeof statOrCode(home) !== 'string';
  const problem = creationProblem({
    dir,
    ancestor: found.path,
    ancestorUid: found.stat.uid,
    owner,
    homeExists,
  });
  return problem ? refused(problem) : { state: 'absent' };
}

/** The nearest ancestor of `dir` that exists, or undefined when one cannot be stat'ed. */
function nearestExisting(dir: string): { path: string; stat: Stats } | undefined {
  for (let path = dirname(dir); ; path = dirname(path)) {
    const stat = statOrCode(path);
    if (typeof stat !== 'string') return { path, stat };
    if (stat !== 'ENOENT' || dirname(path) === path) return undefined;
  }
}

function statOrCode(path: string): Stats | string {
  try {
    return statSync(path);
  } catch (error) {
    return errorCode(error);
  }
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function refused(reason: string): FolderState {
  return { state: 'refused', reason };
}
