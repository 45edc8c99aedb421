/**
 * Random hex for unpredictable temp file names. The global Web Crypto, not node:crypto: temp files
 * are written on the cache-hit path, and under Bun node:crypto loads the stream modules (measured:
 * about 30% of a hit's JavaScript time).
 */

/** `bytes` random bytes as hex digits. */
export function randomHex(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}
