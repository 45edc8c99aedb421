/**
 * Private files (the token cache and its config check records, the file store, the helper's own
 * config file), written and read as docs/security-model.md says: nothing planted in the folder can
 * redirect a write (a new 0600 file of this user under a random name, created O_EXCL|O_NOFOLLOW,
 * renamed over the name; no owner ever copied) or be trusted on a read (O_NOFOLLOW, O_NONBLOCK so
 * a FIFO cannot hang the helper, then the open file must be a regular file only this user can
 * write). Written by hand: write-file-atomic realpaths the target, copies an existing file's owner
 * onto the new one, and opens a temp name computed from the pid without O_EXCL or O_NOFOLLOW.
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
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { errorCode } from '../error-code';
import { ownerProblem, type Owner } from './owner';
import { randomHex } from './random-hex';
import { readOpenText } from './read-regular-file';

// O_NOFOLLOW is absent on Windows (0 there); O_EXCL already refuses a symlink at the name.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
const READ = constants.O_RDONLY | constants.O_NONBLOCK | NOFOLLOW;
/** Another random name after a collision (or a planted file); more means something is wrong. */
const ATTEMPTS = 4;

/** A private file's text, absent, or refused with the reason (`<path>: <why>`). */
type PrivateRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'refused'; readonly reason: string };

/** Reads `path` if it is a regular file of `owner` nobody else can write, of at most `maxBytes`. */
export function readPrivateFile(path: string, owner: Owner, maxBytes: number): PrivateRead {
  const refused = (why: string): PrivateRead => ({ kind: 'refused', reason: `${path}: ${why}` });
  let fd: number;
  try {
    fd = openSync(path, READ);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { kind: 'absent' };
    return refused(code === 'ELOOP' ? 'it is a symbolic link' : `cannot read it (${code})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return refused('it is not a regular file');
    const problem = ownerProblem(stat, owner);
    if (problem) return refused(problem);
    if (stat.size > maxBytes) return refused(`it is larger than ${maxBytes} bytes`);
    return { kind: 'text', text: readOpenText(fd, stat.size) };
  } catch (error) {
    return refused(`cannot read it (${errorCode(error)})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `text` atomically, as a 0600 file of this user. `durable`: synced to disk,
 * the rename included, for what cannot be rebuilt (the cache can: a file torn by a power cut
 * parses as corrupt and is fetched again). Throws the file-system error, leaving no temp file.
 */
export function writePrivateFile(
  path: string,
  text: string,
  options: { readonly durable?: boolean; readonly suffix?: () => string } = {},
): void {
  const data = Buffer.from(text);
  const durable = options.durable ?? false;
  for (let attempt = 1; ; attempt += 1) {
    // `<name>.<suffix>.tmp` in the same folder (the token cache prunes what a crash left).
    const temp = `${path}.${options.suffix?.() ?? randomHex(8)}.tmp`;
    try {
      writeNewFile(temp, data, { mode: 0o600, durable });
    } catch (error) {
      if (errorCode(error) === 'EEXIST' && attempt < ATTEMPTS) continue;
      throw error;
    }
    try {
      renameSync(temp, path);
    } catch (error) {
      removeFile(temp);
      throw error;
    }
    if (durable) syncDir(dirname(path));
    return;
  }
}

/**
 * Creates `path`, which must not exist yet (a symlink there is not followed), holding `data`, with
 * `mode` and, where given and allowed, `owner`; synced to disk when `durable`. Removed again when
 * a step fails.
 */
export function writeNewFile(
  path: string,
  data: Buffer,
  options: {
    readonly mode: number;
    readonly owner?: { readonly uid: number; readonly gid: number } | undefined;
    readonly durable: boolean;
  },
): void {
  const fd = openSync(path, CREATE_NEW, 0o600);
  try {
    for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset);
    fchmodSync(fd, options.mode); // exactly `mode`, whatever the umask took away
    if (options.owner) giveAway(fd, options.owner);
    if (options.durable) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    removeFile(path);
    throw error;
  }
  closeSync(fd);
}

/** Gives the open file to `owner` if it is not theirs yet and this process may (root may). */
function giveAway(fd: number, owner: { readonly uid: number; readonly gid: number }): void {
  const stats = fstatSync(fd);
  if (owner.uid === stats.uid && owner.gid === stats.gid) return;
  // Root editing a user's file keeps it the user's; others cannot give files away.
  try {
    fchownSync(fd, owner.uid, owner.gid);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') throw error;
  }
}

/** Removes `path`; already gone is fine. */
export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Never created, or already renamed or removed.
  }
}

/** Makes a rename in `dir` durable; best effort (some file systems refuse to sync a folder). */
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
