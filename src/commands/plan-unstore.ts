/**
 * Pure part of `configure --unstore` (docs/configure.md#going-back-configure---unstore): where the
 * logins go back to, which ones, and docker's config text after. Nothing here touches a file or a
 * store; unstore.ts does, in an order that loses nothing if it stops midway.
 */
import { applyEdits, modify } from 'jsonc-parser';
import type { Credentials } from '../stores/credential-store';
import { serverKey } from '../stores/server-key';
import { HELPER_SUFFIX } from './plan-configure';
import { formatting, loginsIn } from './plan-store-migration';
import type { StoreRecord } from './store-record';

/** Where logins live once the helper is no longer docker's credsStore. */
export type Destination =
  { readonly kind: 'auths' } | { readonly kind: 'helper'; readonly name: string };

/**
 * Logins of a helper fallback that configure --store did not put there: server URLs it lists
 * beyond the record's (docker login stored them through this helper, or the helper had them);
 * 'unknown' when it cannot list.
 */
export type OthersInFallback = readonly string[] | 'unknown';

/**
 * Where docker must look once this helper is not its credsStore, so that it still reads every
 * login it read through this helper (docs/configure.md#going-back-configure---unstore):
 * - a helper fallback holding logins configure --store did not put there (or that cannot say)
 *   becomes the credsStore: moving them is not ours to do (they may never have been in auths),
 *   and any other destination would strand them;
 * - else the earlier credsStore when the record names one, else docker's `auths`;
 * - without a record, a helper fallback becomes the credsStore (every login docker stored through
 *   this helper is there, and none turns into plaintext); the file store's logins go to `auths`,
 *   its plaintext twin.
 */
export function chooseDestination(
  record: StoreRecord | null,
  fallback: string,
  others: OthersInFallback = [],
): Destination {
  const helperFallback = fallback !== 'file' && fallback !== 'none';
  if (helperFallback && (others === 'unknown' || others.length > 0)) {
    return { kind: 'helper', name: fallback };
  }
  if (record) {
    return record.previousCredsStore === null
      ? { kind: 'auths' }
      : { kind: 'helper', name: record.previousCredsStore };
  }
  return helperFallback ? { kind: 'helper', name: fallback } : { kind: 'auths' };
}

/** The servers a helper fallback lists (null: it cannot list) that the record did not move. */
export function othersInFallback(
  listed: Readonly<Record<string, string>> | null,
  record: StoreRecord | null,
): OthersInFallback {
  if (listed === null) return 'unknown';
  const moved = new Set((record?.moved ?? []).map((login) => serverKey(login.serverUrl)));
  return Object.keys(listed).filter((serverUrl) => !moved.has(serverKey(serverUrl)));
}

/** A login to take out of the fallback: its server URL and user (the secret is read later). */
export interface LoginToMove {
  readonly serverUrl: string;
  readonly username: string;
}

/**
 * The logins that go back: none when they already are where docker will look; every login of the
 * file store (this helper's own, which nothing reads once it is not the credsStore); of another
 * helper, only those the migration put there (the rest was that helper's before).
 */
export function loginsToMove(options: {
  destination: Destination;
  fallback: string;
  record: StoreRecord | null;
  /** The file store's list (server URL -> user), when the fallback is the file store. */
  fileStoreList: Readonly<Record<string, string>> | null;
}): LoginToMove[] {
  const { destination, fallback, record } = options;
  if (fallback === 'none') return [];
  if (destination.kind === 'helper' && destination.name === fallback) return [];
  if (fallback === 'file') {
    return Object.entries(options.fileStoreList ?? {}).map(([serverUrl, username]) => ({
      serverUrl,
      username,
    }));
  }
  return (record?.moved ?? []).map(({ serverUrl, username }) => ({ serverUrl, username }));
}

/** The text and what it adds: logins written into `auths`, and those left out (with why). */
export interface UnstoreEdit {
  readonly text: string;
  readonly added: readonly Credentials[];
  readonly conflicts: readonly { readonly serverUrl: string; readonly why: string }[];
}

/**
 * docker's config text with credsStore back to `destination` (removed for `auths`) and, for
 * `auths`, the logins written there; a server that already holds another login in `auths` keeps
 * it. Every other byte stays.
 */
export function planUnstoreEdit(
  text: string,
  destination: Destination,
  logins: readonly Credentials[],
): UnstoreEdit {
  let out = text.trim() === '' ? '{}' : text;
  const edit = (path: string[], value: unknown): void => {
    out = applyEdits(out, modify(out, path, value, { formattingOptions: formatting(out) }));
  };
  edit(['credsStore'], destination.kind === 'helper' ? destination.name : undefined);
  const added: Credentials[] = [];
  const conflicts: { serverUrl: string; why: string }[] = [];
  if (destination.kind === 'auths') {
    const present = loginsIn(JSON.parse(text.trim() === '' ? '{}' : text));
    for (const login of logins) {
      const other = present.find(
        (held) => serverKey(held.serverUrl) === serverKey(login.serverUrl),
      );
      if (other && !(other.username === login.username && other.secret === login.secret)) {
        conflicts.push({
          serverUrl: login.serverUrl,
          why: `auths[${JSON.stringify(other.serverUrl)}] already holds a login for it (kept)`,
        });
        continue;
      }
      if (!other) edit(['auths', login.serverUrl], authsEntry(login));
      added.push(login);
    }
  }
  return { text: out, added, conflicts };
}

/** The `auths` entry docker writes for a login: an identity token, or base64 `user:password`. */
export function authsEntry(login: Credentials): Record<string, string> {
  if (login.username === '<token>') return { identitytoken: login.secret };
  return { auth: Buffer.from(`${login.username}:${login.secret}`).toString('base64') };
}

/** Whether `config` (docker's, parsed) has this helper as its credsStore. */
export function storeIsOurs(config: Record<string, unknown>): boolean {
  return config['credsStore'] === HELPER_SUFFIX;
}

/** Whether docker's parsed config holds `login` (same server, user and password) in `auths`. */
export function authsHold(config: unknown, login: Credentials): boolean {
  return loginsIn(config).some(
    (held) =>
      serverKey(held.serverUrl) === serverKey(login.serverUrl) &&
      held.username === login.username &&
      held.secret === login.secret,
  );
}
