/**
 * What `configure --store` did to a docker config, for `configure --unstore` to undo
 * (docs/configure.md#the-record): the earlier credsStore, the fallback, and which logins moved
 * (server, `auths` keys, user name; never a secret). It lives beside config.json, as
 * `config.json.ecr-ts-store.json`, a 0600 file of config.json's owner; one planted by anyone else
 * is refused, since it names a helper to run.
 */
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { readPrivateFile, removeFile } from '../fs/private-file';
import { readSettingsFile } from '../fs/read-regular-file';
import { replaceIfUnchanged } from '../fs/replace-file';
import { isHelperName } from '../text-checks';

/** One login the migration moved. */
export interface MovedRecord {
  /** Where it was stored: the key docker looks up. */
  readonly serverUrl: string;
  /** The `auths` keys it replaced. */
  readonly keys: readonly string[];
  readonly username: string;
}

/** What the migration did. */
export interface StoreRecord {
  /** docker's credsStore before (a helper name), or null when it had none. */
  readonly previousCredsStore: string | null;
  /** The fallback the logins moved into. */
  readonly fallback: string;
  readonly moved: readonly MovedRecord[];
}

const MAX_RECORD_BYTES = 1024 * 1024;

/** The record's path for docker's config file (as named: beside a symlink, not its target). */
export function recordPath(dockerFile: string): string {
  return `${dockerFile}.ecr-ts-store.json`;
}

/** The record, or null when there is none; throws CONFIG for one that cannot be trusted or read. */
export function readStoreRecord(
  dockerFile: string,
  ownerUid: number | undefined,
): StoreRecord | null {
  const path = recordPath(dockerFile);
  const read = readPrivateFile(path, { euid: ownerUid }, MAX_RECORD_BYTES);
  if (read.kind === 'absent') return null;
  if (read.kind === 'refused') {
    throw new HelperError('CONFIG', `refusing to use ${read.reason}; nothing was changed`);
  }
  return parseStoreRecord(read.text, path);
}

/** Validates a record's text (pure). */
export function parseStoreRecord(text: string, path: string): StoreRecord {
  const invalid = (why: string): HelperError =>
    new HelperError(
      'CONFIG',
      `${path} is not a record configure --store wrote (${why}); move it away to undo without it; nothing was changed`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (!isRecord(value) || value['version'] !== 1) throw invalid('no "version": 1');
  const previous = value['previousCredsStore'];
  if (previous !== null && !(typeof previous === 'string' && isHelperName(previous))) {
    throw invalid('previousCredsStore');
  }
  const fallback = value['fallback'];
  if (typeof fallback !== 'string' || !fallback) throw invalid('fallback');
  const moved = value['moved'];
  if (!Array.isArray(moved)) throw invalid('moved');
  const logins = moved.map((entry: unknown): MovedRecord => {
    if (!isRecord(entry)) throw invalid('moved');
    const { serverUrl, keys, username } = entry;
    if (typeof serverUrl !== 'string' || typeof username !== 'string') throw invalid('moved');
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) {
      throw invalid('moved');
    }
    return { serverUrl, keys: keys as string[], username };
  });
  return { previousCredsStore: previous, fallback, moved: logins };
}

/**
 * Writes the record, as a file of `owner` (config.json's, for root editing a user's config);
 * returns why it could not, or null. A missing record costs little: --unstore then undoes what
 * the config shows (docs/configure.md#the-record).
 */
export function writeStoreRecord(
  dockerFile: string,
  record: StoreRecord,
  owner: { readonly uid: number; readonly gid: number } | undefined,
): string | null {
  const path = recordPath(dockerFile);
  const text = `${JSON.stringify(
    {
      about: 'what docker-credential-ecr-ts configure --store did; configure --unstore undoes it',
      version: 1,
      ...record,
    },
    null,
    2,
  )}\n`;
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const outcome = replaceIfUnchanged({
        file: path,
        expected: readSettingsFile(path),
        text,
        mode: 0o600,
        ...(owner ? { owner } : {}),
        backupNames: [],
      });
      if (outcome.replaced) return null;
    }
    return `could not write ${path}: it kept changing`;
  } catch (error) {
    return `could not write ${path} (${errorCode(error)})`;
  }
}

/** Removes the record (once undone). */
export function removeStoreRecord(dockerFile: string): void {
  removeFile(recordPath(dockerFile));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
