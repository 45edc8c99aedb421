/**
 * The built-in `file` store (docs/universal-mode.md), the default fallback: one 0600 JSON file in
 * a 0700 folder of this user, read without a lock (writes are atomic renames), changed under a
 * cross-process lock so concurrent `docker login`s all land.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode } from '../error-code';
import { HelperError, notFound } from '../errors';
import { isJsonObject } from '../json';
import { quoteServerUrl, withoutUserInfo } from '../quote';
import { tryLock } from '../fs/lock';
import { makeDirSync, UnsafeFolderError } from '../fs/make-dir';
import type { Owner } from '../fs/owner';
import { poll } from '../fs/poll';
import { readPrivateFile, removeFile, writePrivateFile } from '../fs/private-file';
import { inspectFolder } from '../fs/private-folder';
import type { CredentialStore, Credentials } from './credential-store';
import { serverKey } from './server-key';

/** A few thousand logins fit in well under this. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const LOCK_STALE_MS = 5000;
/** What follows `<file>.` in the name of a temp file of writePrivateFile (fs/private-file.ts). */
const LEFTOVER = /^[0-9a-f]{16}\.tmp$/;

/** The file's shape, versioned so a later format can tell. */
interface StoreFile {
  version: 1;
  auths: Record<string, { username: string; secret: string }>;
}

/**
 * The file store at `path` (created on first `store`), bound by `deadline` (epoch ms). Its folder
 * and file are private (src/fs/private-folder.ts, private-file.ts): anything else is refused.
 */
export function createFileStore(options: {
  path: string;
  /** The user whose folder and file they must be. */
  owner: { readonly uid: number };
  deadline: number;
  /** Notes problems that do not fail the call (a lock lost to a stale takeover). */
  warn?: (message: string) => void;
}): CredentialStore {
  const { path } = options;
  const owner: Owner = { euid: options.owner.uid };
  const dir = dirname(path);
  const refuse = (reason: string): HelperError =>
    new HelperError('STORE', `refusing to use ${reason}`);
  /** The file's logins, or why its folder or file must not be used. */
  const inspect = (): StoreFile | { readonly refused: string } => {
    const folder = inspectFolder(dir, owner);
    if (folder.state === 'refused') return { refused: folder.reason };
    if (folder.state === 'absent') return empty();
    const read = readPrivateFile(path, owner, MAX_FILE_BYTES);
    if (read.kind === 'refused') return { refused: read.reason };
    return read.kind === 'absent' ? empty() : parseStoreFile(path, read.text);
  };
  const load = (): StoreFile => {
    const file = inspect();
    if ('refused' in file) throw refuse(file.refused);
    return file;
  };
  const ensureDir = (): void => {
    try {
      makeDirSync(dir, owner);
    } catch (error) {
      throw error instanceof UnsafeFolderError ? refuse(error.message) : error;
    }
  };
  const save = (text: string): void => {
    try {
      // Synced: logins, unlike cached tokens, cannot be fetched again.
      writePrivateFile(path, text, { durable: true });
    } catch (error) {
      throw new HelperError('STORE', `cannot write ${path} (${errorCode(error)})`, {
        cause: error,
      });
    }
  };
  /**
   * Edits the file under the lock. `tooLarge` words the refusal of an edit that would make the
   * file larger than load() reads: written, it would lock every later call out, `erase` included.
   */
  const change = async (
    edit: (file: StoreFile) => boolean,
    tooLarge: (bytes: number) => HelperError,
  ): Promise<void> => {
    ensureDir();
    const release = await lock(path);
    try {
      removeLeftovers(path);
      const file = load();
      if (!edit(file)) return;
      const text = `${JSON.stringify(file, null, 2)}\n`;
      const bytes = Buffer.byteLength(text);
      if (bytes > MAX_FILE_BYTES) throw tooLarge(bytes);
      save(text);
    } finally {
      await release();
    }
  };
  const lock = async (file: string): Promise<() => Promise<void>> => {
    const polled = await poll({
      deadline: options.deadline,
      attempt: async () => {
        const attempt = await tryLock({
          file,
          staleMs: LOCK_STALE_MS,
          ensureDir,
          onCompromised: (message) => options.warn?.(`the file store's lock was lost: ${message}`),
        });
        return attempt.state === 'busy' ? undefined : attempt;
      },
      // Jittered, growing pauses: 20 writers on 2 cores must not poll in lock step.
      pause: (round, msLeft) =>
        Math.min(msLeft, 5 + Math.random() * Math.min(100, 10 * (round + 1))),
    });
    if (!('value' in polled)) {
      throw new HelperError(
        'TIMEOUT',
        `the file store ${file} stayed locked by another process (${file}.lock); if none is running, remove that folder`,
      );
    }
    if (polled.value.state === 'unavailable') {
      throw new HelperError('STORE', `cannot lock ${file} (${polled.value.reason})`);
    }
    return polled.value.release;
  };
  return {
    label: `the file store (${path})`,
    async get(serverUrl) {
      const file = inspect();
      if ('refused' in file) {
        // As the token cache does: say why, and answer. Root with a user's HOME (sudo -E) finds
        // the user's store; its logins are not root's to read, and docker then pulls anonymously.
        options.warn?.(`not reading the file store: ${file.refused}`);
        throw notFound();
      }
      const name = findEntry(file, serverUrl);
      const entry = name === undefined ? undefined : file.auths[name];
      if (!entry) throw notFound();
      return { serverUrl, username: entry.username, secret: entry.secret };
    },
    async store(credentials: Credentials) {
      const serverUrl = withoutUserInfo(credentials.serverUrl);
      await change(
        (file) => {
          file.auths = without(file.auths, sameServer(file, serverUrl));
          file.auths[serverUrl] = {
            username: credentials.username,
            secret: credentials.secret,
          };
          return true;
        },
        (bytes) =>
          new HelperError(
            'STORE',
            `cannot store the login for ${quoteServerUrl(serverUrl)}: the file store ${path} would grow to ${bytes} bytes, past its limit of ${MAX_FILE_BYTES} bytes; erase logins you no longer use (docker logout)`,
          ),
      );
    },
    async erase(serverUrl) {
      if (findEntry(load(), serverUrl) === undefined) return;
      await change(
        (file) => {
          const names = sameServer(file, serverUrl);
          file.auths = without(file.auths, names);
          return names.length > 0;
        },
        // Fewer logins never make a larger file than the one that was read.
        (bytes) =>
          new HelperError('INTERNAL', `internal error: erasing grew ${path} to ${bytes} bytes`),
      );
    },
    async list() {
      const { auths } = load();
      return Object.fromEntries(
        Object.entries(auths).map(([url, { username }]) => [url, username]),
      );
    },
  };
}

/**
 * Removes the temp files of writes that never finished (`<file>.<16 hex>.tmp`, a whole copy of
 * the store: logins erased since included). Called with the lock held: a write makes its temp
 * file only while holding the lock, so one found now belongs to a write that crashed, or that
 * lost the lock as stale and would otherwise rename its older copy over this change (it fails
 * instead). Best effort: housekeeping never fails a change.
 */
function removeLeftovers(path: string): void {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !LEFTOVER.test(name.slice(prefix.length))) continue;
    removeFile(join(dirname(path), name));
  }
}

/** The exact server URL first, else one naming the same server in another form. */
function findEntry(file: StoreFile, serverUrl: string): string | undefined {
  if (Object.hasOwn(file.auths, serverUrl)) return serverUrl;
  return sameServer(file, serverUrl)[0];
}

/** Every stored URL that names the server of `serverUrl` (`https://ghcr.io` and `ghcr.io`). */
function sameServer(file: StoreFile, serverUrl: string): string[] {
  const key = serverKey(serverUrl);
  return Object.keys(file.auths).filter(
    (name) => name === serverUrl || (key !== '' && serverKey(name) === key),
  );
}

/** `auths` without the entries named. */
function without(auths: StoreFile['auths'], names: readonly string[]): StoreFile['auths'] {
  const kept = empty().auths;
  for (const [url, entry] of Object.entries(auths)) if (!names.includes(url)) kept[url] = entry;
  return kept;
}

function empty(): StoreFile {
  // No prototype: a server URL `__proto__` is a key like any other.
  return { version: 1, auths: Object.create(null) as StoreFile['auths'] };
}

/** Parses the file strictly: a damaged file is reported, never silently replaced. */
function parseStoreFile(path: string, text: string): StoreFile {
  const broken = (why: string): HelperError =>
    new HelperError(
      'STORE',
      `the file store ${path} is damaged (${why}); nothing was changed: repair or move it away (logins in it are then lost)`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw broken(
      `not valid JSON: ${errorCode(error)
        .replace(/ in JSON.*$/, '')
        .slice(0, 60)}`,
    );
  }
  const record = value as Partial<StoreFile> | null;
  if (typeof record !== 'object' || record === null || record.version !== 1) {
    throw broken('expected {"version":1,"auths":{...}}');
  }
  const auths = record.auths;
  if (!isJsonObject(auths)) {
    throw broken('"auths" is not an object');
  }
  const clean = empty().auths;
  for (const [url, entry] of Object.entries(auths)) {
    const { username, secret } = (entry ?? {}) as Partial<{ username: unknown; secret: unknown }>;
    if (typeof username !== 'string' || typeof secret !== 'string') {
      throw broken(`the entry ${quoteServerUrl(url)} lacks a string username or secret`);
    }
    clean[url] = { username, secret };
  }
  return { version: 1, auths: clean };
}
