/** Reads a caller's stdin to EOF, bounded in size so a runaway caller cannot exhaust memory. */
import { read } from 'node:fs';
import { HelperError } from '../errors';

const MAX_INPUT_BYTES = 64 * 1024;
const CHUNK_BYTES = 16 * 1024;

function tooLarge(): HelperError {
  return new HelperError('BAD_INPUT', `input is larger than ${MAX_INPUT_BYTES} bytes`);
}

/** Collects a readable stream into a UTF-8 string (at most 64 KiB). */
export async function readInput(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a file descriptor (stdin: 0) to EOF with plain fs reads. Hand-written instead of
 * `process.stdin` for cost: on a pipe, `process.stdin` builds a net.Socket and loads about 30
 * stream and net modules, measured as a large share of a cache hit's time above a bare start.
 * The reads run on libuv's thread pool, so the call's deadline timer still fires if the caller
 * never closes the pipe. A closed descriptor reads as empty input.
 */
export function readFd(fd: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const next = (): void => {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      read(fd, buffer, 0, buffer.length, null, (error, bytes) => {
        if (error) {
          // A non-blocking descriptor inherited from the caller: try again shortly.
          if (error.code === 'EAGAIN') return void setTimeout(next, 5);
          if (error.code === 'EBADF' || error.code === 'EOF') {
            return resolve(Buffer.concat(chunks).toString('utf8'));
          }
          return reject(
            new HelperError('BAD_INPUT', `cannot read stdin: ${error.code ?? error.message}`),
          );
        }
        if (bytes === 0) return resolve(Buffer.concat(chunks).toString('utf8'));
        size += bytes;
        if (size > MAX_INPUT_BYTES) return reject(tooLarge());
        chunks.push(buffer.subarray(0, bytes));
        next();
      });
    };
    next();
  });
}
