/**
 * Reads a file the user names (the config file, docker's config.json, AWS_CA_BUNDLE) without
 * hanging on something that is not a file: opened O_NONBLOCK (a FIFO with no writer blocked the
 * call forever, past its time bound and past SIGTERM), refused unless it is a regular file (a
 * FIFO, /dev/zero, a socket), and refused above `maxBytes`. A refusal is an Error whose `code`
 * reads as the reason (`not a regular file`), so the callers' "cannot read … (<code>)" messages
 * say it in words; other failures keep their errno code.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type BigIntStats } from 'node:fs';
import { errorCode } from '../error-code';

/** Settings files (routes, docker's logins, a CA bundle) are kilobytes; far more is not one. */
export const MAX_SETTINGS_BYTES = 16 * 1024 * 1024;

/** A file's bytes, and the stat that identifies that version of it. */
export interface FileVersion {
  readonly bytes: Buffer;
  readonly stats: BigIntStats;
}

/**
 * The whole file at `path` (followed through symlinks unless `noFollow`: then a symlink is ELOOP);
 * throws as described above. `judge` sees the open file's stat before a byte is read, and may
 * refuse it by throwing.
 */
export function readRegularFile(
  path: string,
  maxBytes: number,
  options: { readonly noFollow?: boolean; readonly judge?: (stats: BigIntStats) => void } = {},
): FileVersion {
  const noFollow = options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0;
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | noFollow);
  try {
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile()) throw refusal('not a regular file');
    if (stats.size > BigInt(maxBytes)) throw refusal(`larger than ${maxBytes} bytes`);
    options.judge?.(stats);
    return { bytes: readOpenFile(fd, Number(stats.size)), stats };
  } finally {
    closeSync(fd);
  }
}

/** A settings file as readRegularFile() reads it, or null when it does not exist. */
export function readSettingsFile(path: string): FileVersion | null {
  try {
    return readRegularFile(path, MAX_SETTINGS_BYTES);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/** The first `size` bytes of the open file `fd` (fewer if it is shorter now). */
export function readOpenFile(fd: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  return bytes.subarray(0, readInto(fd, bytes));
}

/**
 * The first `size` bytes of the open file `fd` as UTF-8 text, as `readOpenFile().toString()`
 * reads them but without Node's Buffer: under Bun, a process's first Buffer costs more than
 * reading a cache entry (docs/benchmarks.md).
 */
export function readOpenText(fd: number, size: number): string {
  const bytes = new Uint8Array(size);
  return new TextDecoder().decode(bytes.subarray(0, readInto(fd, bytes)));
}

/** Fills `bytes` from the start of `fd` until it is full or the file ends; the count read. */
function readInto(fd: number, bytes: Uint8Array): number {
  let length = 0;
  while (length < bytes.length) {
    const read = readSync(fd, bytes, length, bytes.length - length, length);
    if (read === 0) break;
    length += read;
  }
  return length;
}

function refusal(reason: string): Error {
  return Object.assign(new Error(reason), { code: reason });
}
