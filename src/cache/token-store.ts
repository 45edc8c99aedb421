/**
 * The cache folder: one JSON file per scope, read synchronously on the hot path (one small file;
 * sync calls skip the promise machinery a cache hit would otherwise pay for), written atomically
 * (temp file + rename) on the miss path, 0600 files in a 0700 folder.
 *
 * Nothing in the folder is trusted for being there (audit 2026-12): the folder must be this
 * user's and closed to others (cache-folder.ts), a file is read only if it is a regular file of
 * this user that nobody else can write, never through a symlink, and written as write-private-
 * file.ts says.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { errorCode } from '../error-code';
import { parseEntry, serializeEntry, type CacheEntry, type CacheScope } from './cache-entry';
import { inspectCacheFolder, type FolderOwner, type FolderState } from './cache-folder';
import { entryFileName } from './cache-identity';
import { makeDirSync } from './make-dir';
import { writePrivateFileSync } from './write-private-file';

/** A cache file is a few hundred bytes; anything larger is not ours. */
const MAX_FILE_BYTES = 64 * 1024;
const ENTRY_FILE = /^[0-9a-f]{40}\.json$/;
// Temp files a crashed writer left: ours (`<entry>.<16 hex>.tmp`, and the same for the config
// check record of validation-record.ts) and write-file-atomic's (`<entry>.<number>`, from
// versions before it was replaced).
const TEMP_FILE =
  /^(?:[0-9a-f]{40}\.json\.(?:[0-9a-f]{16}\.tmp|\d+)|config-[0-9a-f]{16}-[0-9a-f]{40}\.checked\.[0-9a-f]{16}\.tmp)$/;
const TEMP_MAX_AGE_MS = 10 * 60_000;
// Non-blocking: a FIFO at the name must not hang the helper. No follow: a symlink is not ours.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0);

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
  /** The user the files must belong to (default: this process's effective uid). */
  euid?: number;
}): TokenStore {
  const { dir, warn } = options;
  const owner: FolderOwner = {
    euid: options.euid ?? process.geteuid?.(),
    ...(options.home !== undefined ? { home: options.home } : {}),
  };
  let folder: FolderState | undefined;
  let refusalSaid = false;
  /** The folder's state, judged once per call (until it exists); a refusal is said once. */
  const folderState = (say: boolean): FolderState['state'] => {
    if (folder === undefined || folder.state === 'absent') folder = inspectCacheFolder(dir, owner);
    if (folder.state === 'refused' && say && !refusalSaid) {
      refusalSaid = true;
      warn(`not using the token cache folder: ${folder.reason}`);
    }
    return folder.state;
  };
  const readFile = (name: string, say: (message: string) => void): CacheEntry | undefined => {
    const path = join(dir, name);
    const read = readOwnFile(path, owner.euid);
    if (read.kind === 'absent') return undefined;
    if (read.kind === 'problem') {
      say(read.problem);
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
    makeDirSync(dir, 0o700, owner);
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
      writePrivateFileSync(join(dir, entryFileName(entry)), serializeEntry(entry));
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

/** A file's text, or why it is not read (absent says nothing). */
type FileRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'absent' }
  | { readonly kind: 'problem'; readonly problem: string };

/**
 * The text of `path` if it is a regular file of `euid` that nobody else can write, read without
 * following a symlink and without blocking (a FIFO in its place must not hang the helper).
 */
function readOwnFile(path: string, euid: number | undefined): FileRead {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ELOOP') {
      return { kind: 'problem', problem: `ignoring the token cache file ${path}: a symbolic link` };
    }
    return {
      kind: 'problem',
      problem: `cannot read the token cache file ${path} (${code}); ignoring it`,
    };
  }
  const ignoring = (why: string): FileRead => ({
    kind: 'problem',
    problem: `ignoring the token cache file ${path}: ${why}`,
  });
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return ignoring('not a regular file');
    if (euid !== undefined && stat.uid !== euid) {
      return ignoring(`it belongs to uid ${stat.uid}, not to this user (uid ${euid})`);
    }
    if (euid !== undefined && (stat.mode & 0o022) !== 0) {
      return ignoring('group or others can write to it');
    }
    if (stat.size > MAX_FILE_BYTES) return ignoring(`larger than ${MAX_FILE_BYTES} bytes`);
    const buffer = Buffer.alloc(stat.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return { kind: 'text', text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return {
      kind: 'problem',
      problem: `cannot read the token cache file ${path} (${errorCode(error)}); ignoring it`,
    };
  } finally {
    closeSync(fd);
  }
}
