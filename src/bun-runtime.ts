/**
 * Bun's global, typed for the few things this program takes from it, when it runs as the
 * executable; undefined on Node (the npm package). Its native hasher and stdin reader spare a
 * cache hit modules that cost Bun more than the hit itself (docs/benchmarks.md).
 */
export interface BunRuntime {
  readonly CryptoHasher: new (algorithm: 'sha256') => {
    update(text: string): { digest(encoding: 'hex'): string };
  };
  readonly stdin: { stream(): AsyncIterable<Uint8Array> };
}

/** Bun's global under Bun, else undefined. */
export function bunRuntime(): BunRuntime | undefined {
  return (globalThis as { Bun?: BunRuntime }).Bun;
}
