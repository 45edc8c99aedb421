/**
 * Files only this user controls, for the file store (AUDIT-2026-12 findings 1-4): never follow a
 * symlink, never trust a folder or file another user owns or can write, write through an
 * unpredictable temp name opened O_EXCL|O_NOFOLLOW and renamed into place, never inherit an owner.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { randomHex } from '../fs/random-hex';

/** Whose files we trust: the current user's. */
export interface Owner {
  readonly uid: number;
}

const CANNOT_EXIST = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

/** Refuses `dir` unless it is a real folder (not a symlink) of `owner` that nobody else can write. */
export function checkOwnDir(dir: string, owner: Owner): 'ok' | 'absent' {
  let stat: Stats;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    // A path that cannot exist (under a file, or longer than the system allows) holds nothing.
    if (CANNOT_EXIST.has(errorCode(error))) return 'absent';
    throw refuse(dir, `cannot inspect it (${errorCode(error)})`);
  }
  if (stat.isSymbolicLink()) throw refuse(dir, 'it is a symbolic link');
  if (!stat.isDirectory()) throw refuse(dir, 'it is not a folder');
  checkOwnership(dir, stat, owner);
  return 'ok';
}

/** The file's text, or undefined when absent. Refuses symlinks, non-files and others' files. */
export function readOwnFile(path: string, owner: Owner, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw refuse(path, 'it is a symbolic link');
    throw refuse(path, `cannot read it (${code})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse(path, 'it is not a regular file');
    checkOwnership(path, stat, owner);
    if (stat.size > maxBytes) throw refuse(path, `it is larger than ${maxBytes} bytes`);
    const buffer = Buffer.alloc(stat.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `text`, mode 0600, atomically: readers see the old or the new file, a
 * crash leaves the old one. The data is synced before the rename (credentials, unlike cached
 * tokens, cannot be rebuilt).
 */
export function writeOwnFileAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomHex(12)}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  let fd: number | undefined;
  try {
    fd = openSync(temp, flags, 0o600);
    fchmodSync(fd, 0o600); // the umask may have taken bits away; none may be added
    const data = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw new HelperError('STORE', `cannot write ${path} (${errorCode(error)})`, { cause: error });
  }
  syncDir(dirname(path));
}

function checkOwnership(path: string, stat: Stats, owner: Owner): void {
  if (stat.uid !== owner.uid) {
    throw refuse(path, `it belongs to uid ${stat.uid}, not to this user (uid ${owner.uid})`);
  }
  if ((stat.mode & 0o022) !== 0) {
    throw refuse(path, `group or others can write it (mode ${(stat.mode & 0o777).toString(8)})`);
  }
}

function refuse(path: string, why: string): HelperError {
  return new HelperError('STORE', `refusing to use ${path}: ${why}`);
}

/** Makes the rename durable; best effort (some file systems refuse to sync a folder). */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The data itself is synced; only the rename's durability is at stake.
  }
}
