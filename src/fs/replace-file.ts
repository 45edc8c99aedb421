/**
 * The write step of `configure`: new file next to the target, then a backup of what was read,
 * then one last look at the target, then the rename. The last look is one stat(2) (same inode,
 * size, mtime and ctime as when it was read) right before the rename, so the window in which
 * another program's write (docker login does not lock) can be lost is two system calls; all of it
 * is synchronous, so no timer can end the process with a temp file or backup left half done.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  openSync,
  renameSync,
  statSync,
  type BigIntStats,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomHex } from './random-hex';
import { MAX_SETTINGS_BYTES, readRegularFile } from './read-regular-file';

const CREATE_NEW =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** A file's bytes and the stat that identifies that version of it. */
export interface FileVersion {
  readonly bytes: Buffer;
  readonly stats: BigIntStats;
}

/** What one attempt did. */
export type ReplaceOutcome =
  { readonly replaced: true; readonly backup: string | null } | { readonly replaced: false };

/** One attempt to replace `file` with `text`, if it still holds `expected`. */
export interface ReplaceRequest {
  /** The file to replace (symlinks already resolved: the link itself stays). */
  readonly file: string;
  /** The bytes the new text was planned from; null when the file did not exist. */
  readonly expected: FileVersion | null;
  readonly text: string;
  /** Permission bits and owner of the new file (the old file's, or 0600 and ours). */
  readonly mode: number;
  readonly owner?: { readonly uid: number; readonly gid: number };
  /** Candidate backup names, tried in order until one is free; none: no backup. */
  readonly backupNames: readonly string[];
}

/**
 * Writes the new file, backs up `expected`, and renames over `file` only when `file` still holds
 * `expected`; otherwise removes what it wrote and says so. Throws an fs error (with `.step`) when a
 * step fails, after removing the temp file and the backup it made.
 */
export function replaceIfUnchanged(request: ReplaceRequest): ReplaceOutcome {
  const temp = `${request.file}.${randomHex(6)}.tmp`;
  const made: string[] = [];
  try {
    step('write', () => {
      writeNew(temp, Buffer.from(request.text), request.mode, request.owner);
      made.push(temp);
    });
    let backup: string | null = null;
    if (request.expected && request.backupNames.length > 0) {
      const { bytes } = request.expected;
      backup = step('back up', () => writeBackup(request.backupNames, bytes));
      made.push(backup);
    }
    const current = step('read', () => statOrNull(request.file));
    if (!sameVersion(current, request.expected?.stats ?? null)) {
      removeAll(made);
      return { replaced: false };
    }
    step('write', () => renameSync(temp, request.file));
    return { replaced: true, backup };
  } catch (error) {
    removeAll(made.filter((path) => path !== request.file));
    throw error;
  }
}

/** Reads a file and the stat of what was read, or null when it does not exist. */
export function readVersion(file: string): FileVersion | null {
  try {
    return readRegularFile(file, MAX_SETTINGS_BYTES);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function statOrNull(file: string): BigIntStats | null {
  try {
    return statSync(file, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function writeNew(
  path: string,
  data: Buffer,
  mode: number,
  owner: { uid: number; gid: number } | undefined,
): void {
  const fd = openSync(path, CREATE_NEW, 0o600);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset);
    fchmodSync(fd, mode);
    const stats = fstatSync(fd);
    if (owner && (owner.uid !== stats.uid || owner.gid !== stats.gid)) {
      // Root editing a user's file keeps it the user's; others cannot give files away.
      try {
        fchownSync(fd, owner.uid, owner.gid);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
      }
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    removeAll([path]);
    throw error;
  }
  closeSync(fd);
}

function writeBackup(names: readonly string[], data: Buffer): string {
  let lastError: unknown;
  for (const name of names) {
    try {
      writeNew(name, data, 0o600, undefined);
      return name;
    } catch (error) {
      lastError = error;
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw lastError;
}

/** Same file, unchanged: a rename puts another inode there, a write in place moves mtime/ctime. */
function sameVersion(a: BigIntStats | null, b: BigIntStats | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs
  );
}

function removeAll(paths: readonly string[]): void {
  for (const path of paths) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone; nothing else to do.
    }
  }
}

/** Runs one step, tagging a failure with what was being done (for the message). */
function step<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error && typeof error === 'object') Object.assign(error, { step: what });
    throw error;
  }
}
