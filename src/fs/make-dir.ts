/**
 * `mkdir -p` for private folders, bounded and careful. Hand-written because Node's own recursive
 * mkdir (sync and async, Node 20 and 24) loops forever where mkdir answers ENOENT under a parent
 * that exists, as procfs does (AWS_ECR_CACHE_DIR=/proc/self/x): the sync form blocks the event
 * loop, so neither the call's deadline nor SIGTERM could end the helper.
 *
 * Careful: it refuses what private-folder.ts refuses (a symlink, another user's or a shared
 * folder, a relative path, a folder inside another user's), makes folders 0700, and checks with
 * lstat that each level it made is a folder of this user, not something planted in its place.
 */
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorCode } from '../error-code';
import { processOwner, type Owner } from './owner';
import { folderProblem, inspectFolder } from './private-folder';

/** A folder that must not be used; its message is the reason (no `code`: it is not an errno). */
export class UnsafeFolderError extends Error {
  override readonly name = 'UnsafeFolderError';
}

/**
 * Makes `dir` (and missing parents) 0700, or finds it made; throws UnsafeFolderError when it must
 * not be used, or the file-system error that stopped it. Each level is tried once.
 */
export function makeDirSync(dir: string, owner: Owner = processOwner()): void {
  const state = inspectFolder(dir, owner, { creating: true });
  if (state.state === 'usable') return;
  if (state.state === 'refused') throw new UnsafeFolderError(state.reason);
  const missing: string[] = [];
  for (let path = dir; !exists(path); path = dirname(path)) {
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      // Another helper of this user made it meanwhile; anything else (ENOENT under procfs,
      // EACCES, EROFS) is final.
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    // What is there now must be a real folder of ours, not a symlink or another user's folder.
    const made = lstatSync(path);
    if (!made.isDirectory()) throw new UnsafeFolderError(`${path}: it is not a folder`);
    if (owner.euid !== undefined && made.uid !== owner.euid) {
      throw new UnsafeFolderError(
        `${path}: it belongs to uid ${made.uid}, not to this user (uid ${owner.euid})`,
      );
    }
  }
  // Throws the error that stopped it, if any (ENOTDIR under a file).
  const problem = folderProblem(dir, lstatSync(dir), owner);
  if (problem) throw new UnsafeFolderError(problem);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    // Only "missing" is created; any other answer is for mkdir (or the final look) to report.
    return errorCode(error) !== 'ENOENT';
  }
}
