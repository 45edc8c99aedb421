/** Reads a caller's stdin to EOF, bounded in size so a runaway caller cannot exhaust memory. */
import { HelperError } from '../errors';

const MAX_INPUT_BYTES = 64 * 1024;

/** Collects a readable stream into a UTF-8 string (at most 64 KiB). */
export async function readInput(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) {
      throw new HelperError('BAD_INPUT', `input is larger than ${MAX_INPUT_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
