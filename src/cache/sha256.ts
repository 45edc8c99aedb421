/**
 * SHA-256 in hex, on either runtime. Under Bun (the executable) its native hasher, because loading
 * node:crypto there also loads the stream modules: measured as the largest single cost of a cache
 * hit above the bare start. Under Node, node:crypto (loaded on first use, not at start).
 */
interface BunHasher {
  update(text: string): BunHasher;
  digest(encoding: 'hex'): string;
}
type BunGlobal = { Bun?: { CryptoHasher: new (algorithm: 'sha256') => BunHasher } };

/** The SHA-256 digest of a UTF-8 string, as 64 hex digits. */
export function sha256Hex(text: string): string {
  const bun = (globalThis as BunGlobal).Bun;
  if (bun) return new bun.CryptoHasher('sha256').update(text).digest('hex');
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex');
}
