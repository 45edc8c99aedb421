/**
 * Whether a folder may hold the token cache, judged as OpenSSH judges ~/.ssh: it must be the
 * user's own and nobody else may write to it. In a folder that someone else owns or can write to,
 * that someone can plant entries (a password of their choosing), symlinks (our write would replace
 * their target) or files whose owner a root write inherits (audit 2026-12, findings 1-4). Such a
 * folder is not used at all: tokens are then fetched on every call, after one warning.
 *
 * Creating the folder is judged too: not inside another user's folder, which is what root running
 * with a user's HOME (`sudo -E`) would do, leaving root-owned folders that break the user's tools
 * (finding 17); not outside an existing HOME; never relative to the working folder (finding 8).
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative } from 'node:path';
import { errorCode } from '../error-code';

/** The user the cache belongs to: the effective uid (undefined where there is none) and HOME. */
export interface FolderOwner {
  readonly euid: number | undefined;
  /** HOME: a folder under it is created only while HOME itself exists. */
  readonly home?: string;
}

/** Usable as it is, absent but creatable, or refused with the reason (for one warning). */
export type FolderState =
  | { readonly state: 'usable' }
  | { readonly state: 'absent' }
  | { readonly state: 'refused'; readonly reason: string };

/** The parts of a stat result the judgement reads. */
export type FolderStat = Pick<Stats, 'uid' | 'mode'> & { isDirectory(): boolean };

/** Why an existing `dir` must not hold the cache, or undefined when it may. Pure. */
export function folderProblem(
  dir: string,
  stat: FolderStat,
  euid: number | undefined,
): string | undefined {
  if (!stat.isDirectory()) return `${dir} is not a folder`;
  if (euid === undefined) return undefined; // no uids on this platform (Windows)
  if (stat.uid !== euid) return `${dir} belongs to uid ${stat.uid}, not to this user (uid ${euid})`;
  if ((stat.mode & 0o022) !== 0) {
    return `group or others can write to ${dir} (mode ${(stat.mode & 0o7777).toString(8)})`;
  }
  return undefined;
}

/**
 * Why the missing `dir` must not be created inside `ancestor` (its nearest existing ancestor),
 * or undefined when it may. Pure.
 */
export function creationProblem(options: {
  dir: string;
  ancestor: string;
  ancestorUid: number;
  owner: FolderOwner;
  /** False when HOME does not exist. */
  homeExists: boolean;
}): string | undefined {
  const { dir, ancestor, owner } = options;
  const home = owner.home;
  if (home && isAbsolute(home) && isInside(dir, home) && !options.homeExists) {
    return `not creating ${dir}: HOME (${home}) does not exist`;
  }
  const { euid } = owner;
  // Root-owned ancestors (/, /tmp, /var/cache) are where anyone's folders start.
  if (euid !== undefined && options.ancestorUid !== euid && options.ancestorUid !== 0) {
    return `not creating ${dir} inside ${ancestor}, which belongs to uid ${options.ancestorUid}, not to this user (uid ${euid})`;
  }
  return undefined;
}

/** Judges `dir` without changing anything: a few stat calls. */
export function inspectCacheFolder(dir: string, owner: FolderOwner): FolderState {
  if (!isAbsolute(dir)) {
    return refused(
      `"${dir}" is not an absolute path (HOME or AWS_ECR_CACHE_DIR is empty or relative), and the working folder is no place for passwords`,
    );
  }
  const stat = statOrCode(dir);
  if (typeof stat !== 'string') {
    const problem = folderProblem(dir, stat, owner.euid);
    return problem ? refused(problem) : { state: 'usable' };
  }
  // Anything but "missing" (EACCES, ENOTDIR) is reported by the mkdir that will fail on it.
  if (stat !== 'ENOENT') return { state: 'absent' };
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
export function nearestExisting(dir: string): { path: string; stat: Stats } | undefined {
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
