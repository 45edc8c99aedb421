/** Reads a caller's stdin to EOF, bounded in size so a runaway caller cannot exhaust memory. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { HelperError } from '../errors';

const MAX_INPUT_BYTES = 64 * 1024;
const CHUNK_BYTES = 16 * 1024;

function tooLarge(): HelperError {
  return new HelperError('BAD_INPUT', `input is larger than ${MAX_INPUT_BYTES} bytes`);
}

/** What a stream of stdin yields: Node's process.stdin gives Buffers, Bun.stdin's stream bytes. */
export type InputChunk = Uint8Array | string;

/** Collects a readable stream into a UTF-8 string (at most 64 KiB). */
async function readInput(stream: AsyncIterable<InputChunk>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_INPUT_BYTES) throw tooLarge();
    chunks.push(bytes);
  }
  return new TextDecoder().decode(concat(chunks, size));
}

/**
 * Reads a file descriptor (stdin: 0) to EOF with plain fs reads. Hand-written instead of
 * `process.stdin` for cost: on a pipe, `process.stdin` builds a net.Socket and loads about 30
 * stream and net modules, measured as a large share of a cache hit's time above a bare start.
 * No read may block, though: a thread-pool thread parked in read(2) on a pipe the caller never
 * closes is joined at exit, so the helper would print its timeout and then never exit. A pipe is
 * therefore reopened non-blocking (see nonBlocking); a socket or a terminal, which cannot be, is
 * read through `stream` when given. A closed descriptor reads as empty input.
 */
export function readFd(
  fd: number,
  options: { stream?: () => AsyncIterable<InputChunk> } = {},
): Promise<string> {
  const source = nonBlocking(fd);
  if (source === undefined) {
    // Reading it here could block the thread the deadline runs on.
    if (options.stream) return readInput(options.stream());
    return Promise.reject(new HelperError('BAD_INPUT', 'cannot read stdin without blocking'));
  }
  const input = source.fd;
  const done = (): void => {
    if (source.own) closeSync(source.fd);
  };
  return new Promise<string>((resolve, reject) => {
    // Plain bytes, not Buffers: under Bun, a process's first Buffer costs more than this read.
    const chunks: Uint8Array[] = [];
    let size = 0;
    const text = (): string => new TextDecoder().decode(concat(chunks, size));
    // Synchronous reads: the descriptor never blocks (see nonBlocking), and a thread-pool read
    // costs a thread hand-off per chunk (measured under Bun: about 7% of a cache hit's CPU).
    const next = (): void => {
      for (;;) {
        const buffer = new Uint8Array(CHUNK_BYTES);
        let bytes: number;
        try {
          bytes = readSync(input, buffer, 0, buffer.length, null);
        } catch (caught) {
          const error = caught as NodeJS.ErrnoException;
          // Nothing written yet on a non-blocking pipe: look again shortly.
          if (error.code === 'EAGAIN') return void setTimeout(next, 5);
          if (error.code === 'EBADF' || error.code === 'EOF') return resolve(text());
          return reject(
            new HelperError('BAD_INPUT', `cannot read stdin: ${error.code ?? error.message}`),
          );
        }
        if (bytes === 0) return resolve(text());
        size += bytes;
        if (size > MAX_INPUT_BYTES) return reject(tooLarge());
        chunks.push(buffer.subarray(0, bytes));
      }
    };
    next();
  }).finally(done);
}

/** `chunks` (`size` bytes in all) as one array. */
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/**
 * A descriptor whose reads never block, for `fd`: itself when it is a regular file (reads end at
 * EOF) or unusable (its read reports that); for a pipe or a terminal, an O_NONBLOCK open of its
 * own through /proc (Linux), which leaves the caller's flags alone; undefined where that is
 * impossible (a socket, no /proc).
 */
function nonBlocking(fd: number): { fd: number; own: boolean } | undefined {
  let stat;
  try {
    stat = fstatSync(fd);
  } catch {
    return { fd, own: false };
  }
  if (stat.isFile()) return { fd, own: false };
  try {
    const own = openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
    return { fd: own, own: true };
  } catch {
    return undefined;
  }
}
