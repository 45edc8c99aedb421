/**
 * Replaces a file another program may be writing too (docker's config.json, for `configure`):
 * new file next to the target, then a backup of what was read, then one last look at the target,
 * then the rename. The last look is one stat(2) (same inode, size, mtime and ctime as when it was
 * read) right before the rename, so the window in which another program's write (docker login
 * does not lock) can be lost is two system calls; all of it is synchronous, so no timer can end
 * the process with a temp file or backup left half done.
 */
import { renameSync, statSync, type BigIntStats } from 'node:fs';
import { removeFile, writeNewFile } from './private-file';
import { randomHex } from './random-hex';
import type { FileVersion } from './read-regular-file';

/** A stat to compare with the one of what was read; undefined when the file is gone. */
const STAT_IF_ANY = { bigint: true, throwIfNoEntry: false } as const;

/** What one attempt did. */
export type ReplaceOutcome =
  { readonly replaced: true; readonly backup: string | null } | { readonly replaced: false };

/** One attempt to replace `file` with `text`, if it still holds `expected`. */
interface ReplaceRequest {
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
  /** What the backup holds (default: `expected`'s bytes), e.g. without what moved elsewhere. */
  readonly backupBytes?: Buffer;
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
      const { mode, owner } = request;
      writeNewFile(temp, Buffer.from(request.text), { mode, owner, durable: true });
      made.push(temp);
    });
    let backup: string | null = null;
    if (request.expected && request.backupNames.length > 0) {
      const bytes = request.backupBytes ?? request.expected.bytes;
      // The backup of a user's file (root editing it) is the user's, like the file itself.
      backup = step('back up', () => writeBackup(request.backupNames, bytes, request.owner));
      made.push(backup);
    }
    const current = step('read', () => statSync(request.file, STAT_IF_ANY) ?? null);
    if (!sameVersion(current, request.expected?.stats ?? null)) {
      for (const path of made) removeFile(path);
      return { replaced: false };
    }
    step('write', () => renameSync(temp, request.file));
    return { replaced: true, backup };
  } catch (error) {
    for (const path of made) removeFile(path);
    throw error;
  }
}

function writeBackup(
  names: readonly string[],
  data: Buffer,
  owner: ReplaceRequest['owner'],
): string {
  let lastError: unknown;
  for (const name of names) {
    try {
      writeNewFile(name, data, { mode: 0o600, owner, durable: true });
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

/** Runs one step, tagging a failure with what was being done (for the message). */
function step<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error && typeof error === 'object') Object.assign(error, { step: what });
    throw error;
  }
}
