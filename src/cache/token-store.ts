/**
 * The cache folder: one JSON file per scope, read synchronously on the hot path (one small file;
 * sync calls skip the promise machinery a cache hit would otherwise pay for), written atomically
 * (temp file + rename) on the miss path, 0600 files in a 0700 folder.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorCode } from '../error-code';
import { parseEntry, serializeEntry, type CacheEntry, type CacheScope } from './cache-entry';
import { entryFileName } from './cache-identity';
import { makeDirSync } from './make-dir';

/** A cache file is a few hundred bytes; anything larger is not ours. */
const MAX_FILE_BYTES = 64 * 1024;
const ENTRY_FILE = /^[0-9a-f]{40}\.json$/;
// write-file-atomic names its temp files `<target>.<number>`; a crash can leave one behind.
const TEMP_FILE = /^[0-9a-f]{40}\.json\.\d+$/;
const TEMP_MAX_AGE_MS = 10 * 60_000;

/** Reads and writes cache entries in one folder; problems go to `warn`, never thrown on reads. */
export interface TokenStore {
  readonly dir: string;
  /** The entry for a scope, or undefined when absent or unusable (unusable: one warning). */
  read(scope: CacheScope): CacheEntry | undefined;
  /** Replaces the scope's file atomically; throws on I/O failure (read-only disk, ...). */
  write(entry: CacheEntry): Promise<void>;
  /** Every readable entry in the folder. */
  list(): CacheEntry[];
  /** Deletes entries expired at `now` and temp files a crashed writer left; best effort. */
  prune(now: number): void;
}

/** Opens the store for `dir` (created on first write). */
export function createTokenStore(options: {
  dir: string;
  warn: (message: string) => void;
}): TokenStore {
  const { dir, warn } = options;
  const readFile = (name: string): CacheEntry | undefined => {
    const path = join(dir, name);
    const text = readSmallFile(path, warn);
    if (text === undefined) return undefined;
    const parsed = parseEntry(text);
    if (!parsed.ok) {
      warn(`ignoring the token cache file ${path}: ${parsed.reason}; it will be rebuilt`);
      return undefined;
    }
    return parsed.entry;
  };
  return {
    dir,
    read(scope) {
      const name = entryFileName(scope);
      const entry = readFile(name);
      if (!entry) return undefined;
      const { partition, region, service, identity } = entry;
      if (
        partition !== scope.partition ||
        region !== scope.region ||
        service !== scope.service ||
        identity !== scope.identity
      ) {
        warn(`ignoring the token cache file ${join(dir, name)}: it belongs to another scope`);
        return undefined;
      }
      return entry;
    },
    async write(entry) {
      makeDirSync(dir, 0o700);
      // Loaded here, not at the top: only the miss path writes, and a hit must stay tiny.
      const { default: writeFileAtomic } = await import('write-file-atomic');
      // No fsync: the cache is rebuildable, and a file torn by a power cut parses as corrupt.
      await writeFileAtomic(join(dir, entryFileName(entry)), serializeEntry(entry), {
        mode: 0o600,
        fsync: false,
      });
    },
    list() {
      return entryNames(dir)
        .filter((name) => ENTRY_FILE.test(name))
        .flatMap((name) => readFile(name) ?? []);
    },
    prune(now) {
      for (const name of entryNames(dir)) {
        const path = join(dir, name);
        try {
          if (TEMP_FILE.test(name)) {
            if (now - statSync(path).mtimeMs > TEMP_MAX_AGE_MS) unlinkSync(path);
          } else if (ENTRY_FILE.test(name)) {
            const text = readSmallFile(path, () => undefined);
            const parsed = text === undefined ? undefined : parseEntry(text);
            // Only our own version's expired entries: another version may share the folder.
            if (parsed?.ok && now >= parsed.entry.expiresAt) unlinkSync(path);
          }
        } catch {
          // Pruning is housekeeping; a file that vanished or resists deletion is no failure.
        }
      }
    },
  };
}

function entryNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The file's text, or undefined when it does not exist or cannot be read (then `warn`). Opened
 * non-blocking and checked to be a regular file: a FIFO in its place must not hang the helper.
 */
function readSmallFile(path: string, warn: (message: string) => void): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT') warn(`cannot read the token cache file ${path} (${code}); ignoring it`);
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      warn(`ignoring the token cache file ${path}: not a regular file`);
      return undefined;
    }
    if (stat.size > MAX_FILE_BYTES) {
      warn(`ignoring the token cache file ${path}: larger than ${MAX_FILE_BYTES} bytes`);
      return undefined;
    }
    const buffer = Buffer.alloc(stat.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    warn(`cannot read the token cache file ${path} (${errorCode(error)}); ignoring it`);
    return undefined;
  } finally {
    closeSync(fd);
  }
}
