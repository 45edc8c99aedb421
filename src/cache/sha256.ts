/**
 * SHA-256 in hex, on either runtime, without node:crypto on either. Under Bun (the executable) its
 * native hasher: loading node:crypto there also loads the stream modules, measured as the largest
 * single cost of a cache hit above the bare start. Under Node (the npm bin), @noble/hashes' audited
 * pure-JavaScript SHA-256: loading node:crypto cost Node more than the rest of a cache hit's own
 * code (docs/benchmarks.md), and the hashed texts are a few hundred bytes.
 */
import { bunRuntime } from '../bun-runtime';

/** The SHA-256 digest of a UTF-8 string, as 64 hex digits. */
export function sha256Hex(text: string): string {
  const bun = bunRuntime();
  if (bun) return new bun.CryptoHasher('sha256').update(text).digest('hex');
  const { sha256 } = nobleSha2();
  const { bytesToHex, utf8ToBytes } = nobleUtils();
  return bytesToHex(sha256(utf8ToBytes(text)));
}

// Required on first use: the executable never evaluates them. Literal paths, so that the bundle
// holds them (the npm package has no runtime dependencies).
function nobleSha2(): typeof import('@noble/hashes/sha2.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, synchronously
  return require('@noble/hashes/sha2.js') as typeof import('@noble/hashes/sha2.js');
}

function nobleUtils(): typeof import('@noble/hashes/utils.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, synchronously
  return require('@noble/hashes/utils.js') as typeof import('@noble/hashes/utils.js');
}
