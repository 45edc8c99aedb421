/**
 * The cache folder: one JSON file per scope, read synchronously on the hot path (one small file;
 * sync calls skip the promise machinery a cache hit would otherwise pay for), written atomically
 * (temp file + rename) on the miss path, 0600 files in a 0700 folder.
 *
 * Nothing in the folder is trusted for being there (docs/security-model.md): the folder must be
 * this user's and closed to others (src/fs/private-folder.ts), and a file is read and written as
 * a private file (src/fs/private-file.ts): never through a symlink, read only if it is a regular
 * file of this user that nobody else can write.
 */
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirSync } from '../fs/make-dir';
import { processOwner, type Owner } from '../fs/owner';
import { readPrivateFile, writePrivateFile } from '../fs/private-file';
import { inspectFolder, type FolderState } from '../fs/private-folder';
import { parseEntry, serializeEntry, type CacheEntry, type CacheScope } from './cache-entry';
import { entryFileName } from './cache-identity';

/** A cache file is a few hundred bytes; anything larger is not ours. */
const MAX_FILE_BYTES = 64 * 1024;
const ENTRY_FILE = /^[0-9a-f]{40}\.json$/;
// Temp files a crashed writer left: ours (`<entry>.<16 hex>.tmp`, and the same for the config
// check record of validation-record.ts) and write-file-atomic's (`<entry>.<number>`, from
// versions before it was replaced).
const TEMP_FILE =
  /^(?:[0-9a-f]{40}\.json\.(?:[0-9a-f]{16}\.tmp|\d+)|config-[0-9a-f]{16}-[0-9a-f]{40}\.checked\.[0-9a-f]{16}\.tmp)$/;
const TEMP_MAX_AGE_MS = 10 * 60_000;

/** Reads and writes cache entries in one folder; problems go to `warn`, never thrown on reads. */
export interface TokenStore {
  readonly dir: string;
  /** The entry for a scope, or undefined when absent or unusable (unusable: one warning). */
  read(scope: CacheScope): CacheEntry | undefined;
  /** Replaces the scope's file atomically; throws on I/O failure (read-only disk, ...). */
  write(entry: CacheEntry): Promise<void>;
  /** Every readable entry of this user in the folder; says nothing about the others. */
  list(): CacheEntry[];
  /** Deletes entries expired at `now` and temp files a crashed writer left; best effort. */
  prune(now: number): void;
  /** Creates the folder when missing; throws when it cannot, or must not, hold the cache. */
  ensureDir(): void;
}

/** Opens the store for `dir` (created on first write). */
export function createTokenStore(options: {
  dir: string;
  warn: (message: string) => void;
  /** HOME, so that a missing HOME is not created for the cache. */
  home?: string;
}): TokenStore {
  const { dir, warn } = options;
  const owner: Owner = {
    ...processOwner(),
    ...(options.home !== undefined ? { home: options.home } : {}),
  };
  let folder: FolderState | undefined;
  let refusalSaid = false;
  /** The folder's state, judged once per call (until it exists); a refusal is said once. */
  const folderState = (say: boolean): FolderState['state'] => {
    if (folder === undefined || folder.state === 'absent') {
      folder = inspectFolder(dir, owner, { creating: true });
    }
    if (folder.state === 'refused' && say && !refusalSaid) {
      refusalSaid = true;
      warn(`not using the token cache folder ${folder.reason}`);
    }
    return folder.state;
  };
  const readFile = (name: string, say: (message: string) => void): CacheEntry | undefined => {
    const path = join(dir, name);
    const read = readPrivateFile(path, owner, MAX_FILE_BYTES);
    if (read.kind === 'absent') return undefined;
    if (read.kind === 'refused') {
      say(`ignoring the token cache file ${read.reason}`);
      return undefined;
    }
    const parsed = parseEntry(read.text);
    if (!parsed.ok) {
      say(`ignoring the token cache file ${path}: ${parsed.reason}; it will be rebuilt`);
      return undefined;
    }
    return parsed.entry;
  };
  const quiet = (): void => undefined;
  const ensureDir = (): void => {
    if (folder?.state === 'usable') return;
    makeDirSync(dir, owner);
    folder = { state: 'usable' };
  };
  return {
    dir,
    read(scope) {
      if (folderState(true) !== 'usable') return undefined;
      const name = entryFileName(scope);
      const entry = readFile(name, warn);
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
      ensureDir();
      writePrivateFile(join(dir, entryFileName(entry)), serializeEntry(entry));
    },
    list() {
      // A successful `list` writes nothing to stderr: other users' files in a shared folder, or
      // a refused folder, are `get`'s to report.
      if (folderState(false) !== 'usable') return [];
      return entryNames(dir)
        .filter((name) => ENTRY_FILE.test(name))
        .flatMap((name) => readFile(name, quiet) ?? []);
    },
    prune(now) {
      if (folderState(false) !== 'usable') return;
      for (const name of entryNames(dir)) {
        const path = join(dir, name);
        try {
          if (TEMP_FILE.test(name)) {
            if (now - lstatSync(path).mtimeMs > TEMP_MAX_AGE_MS) unlinkSync(path);
          } else if (ENTRY_FILE.test(name)) {
            const entry = readFile(name, quiet);
            // Only our own version's expired entries: another version may share the folder.
            if (entry && now >= entry.expiresAt) unlinkSync(path);
          }
        } catch {
          // Pruning is housekeeping; a file that vanished or resists deletion is no failure.
        }
      }
    },
    ensureDir,
  };
}

function entryNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
