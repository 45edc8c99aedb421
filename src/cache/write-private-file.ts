/**
 * Atomic replacement of a cache file, written by hand instead of with write-file-atomic, which
 * the audit of 2026-12 found unfit for a folder that matters (findings 1-3): it realpaths the
 * target (a symlink at the file's name made it replace the link's target, /dev/zero included),
 * copies an existing file's owner onto the new one (root's token went to another user's file),
 * and opens a temp name computed from the pid without O_EXCL or O_NOFOLLOW (a planted symlink
 * received the token). Here the temp file has 64 random bits in its name and is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, 0600, by this user; rename then replaces whatever is at the name (a
 * symlink included) without following it, and no owner is ever copied. Also lighter: no
 * signal-exit, no promise queue.
 */
import { closeSync, constants, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { errorCode } from '../error-code';
import { randomHex } from '../fs/random-hex';

// O_NOFOLLOW is absent on Windows (0 there); O_EXCL already refuses a symlink at the name.
const CREATE_NEW =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
/** Another random name after a collision (or a planted file); more means something is wrong. */
const ATTEMPTS = 4;

/** The random part of a temp file's name: 64 bits, as 16 hex digits. */
export function randomSuffix(): string {
  return randomHex(8);
}

/** The temp file name for `path` with `suffix`: `<name>.<suffix>.tmp`, in the same folder. */
export function tempPathFor(path: string, suffix: string): string {
  return `${path}.${suffix}.tmp`;
}

/**
 * Replaces `path` with `text` atomically, as a 0600 file of this user. No fsync: the cache is
 * rebuildable, and a file torn by a power cut parses as corrupt. Throws on I/O failure, leaving
 * no temp file behind.
 */
export function writePrivateFileSync(
  path: string,
  text: string,
  suffix: () => string = randomSuffix,
): void {
  const data = Buffer.from(text);
  for (let attempt = 1; ; attempt += 1) {
    const temp = tempPathFor(path, suffix());
    let fd: number;
    try {
      fd = openSync(temp, CREATE_NEW, 0o600);
    } catch (error) {
      if (errorCode(error) === 'EEXIST' && attempt < ATTEMPTS) continue;
      throw error;
    }
    try {
      try {
        for (let offset = 0; offset < data.length;) {
          offset += writeSync(fd, data, offset);
        }
      } finally {
        closeSync(fd);
      }
      renameSync(temp, path);
      return;
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // Already gone.
      }
      throw error;
    }
  }
}
