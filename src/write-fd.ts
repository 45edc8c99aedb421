/** Synchronous writes to stdout and stderr, without the stream machinery of process.stdout. */
import { fstatSync, writeSync } from 'node:fs';
import { errorCode } from './error-code';

/**
 * Writes all of `text` to a descriptor synchronously. Plain fs writes rather than process.stdout:
 * on a pipe, creating process.stdout loads the net and stream modules (see readFd), and the
 * answer is one short line. A caller that closed its end (EPIPE) gets nothing, as with any CLI.
 */
export function writeAll(fd: number, text: string): void {
  // Plain bytes, not a Buffer: under Bun, a process's first Buffer costs more than this write.
  const buffer = new TextEncoder().encode(text);
  let offset = 0;
  let retries = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      // A non-blocking pipe whose buffer is full: wait a millisecond, a bounded number of times.
      if (errorCode(error) !== 'EAGAIN' || ++retries > 1000) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * Whether a descriptor is a terminal. A file or a pipe is told apart by fstat alone; only a
 * character device (a terminal, or /dev/null, which is none) loads node:tty, which loads net: the
 * hot path never asks about one.
 */
export function isTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice() && process.getBuiltinModule('node:tty').isatty(fd);
  } catch {
    return false;
  }
}
