/**
 * Pure part of `configure --store`'s migration (docs/universal-mode.md): which store becomes the
 * fallback, which plaintext logins of the docker config's `auths` move into it (one per server,
 * the one docker used), and the edited texts. Nothing here touches a file; migrate-store.ts does,
 * in an order that loses nothing if it stops midway.
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { HelperError } from '../errors';
import { quote, quoteServerUrl } from '../quote';
import { isEcrHost } from '../registry/parse-registry';
import type { Credentials } from '../stores/credential-store';
import { serverKey } from '../stores/server-key';
import { HELPER_SUFFIX } from './plan-configure';

/** A login that moves: stored under `serverUrl`, it replaces the `auths` keys in `keys`. */
export interface MovingLogin extends Credentials {
  readonly keys: readonly string[];
}

/** An `auths` key whose login another key of the same server overrides (never its secret). */
export interface DroppedLogin {
  readonly key: string;
  readonly username: string;
  /** The key whose login moves instead: the one docker looked up. */
  readonly keptKey: string;
}

/** What moving to `credsStore: ecr-ts` changes besides credsStore itself. */
export interface StoreMigrationPlan {
  /** The docker config's credsStore before, when it named another helper: the fallback now. */
  readonly previousStore: string | undefined;
  /** Plaintext logins under `auths`, one per server, to move into the fallback store. */
  readonly logins: readonly MovingLogin[];
  /** `auths` keys that leave config.json: the moved and dropped logins, and stale ECR tokens. */
  readonly removals: readonly string[];
  /** ECR hosts whose saved tokens are dropped: the helper mints them on demand. */
  readonly droppedEcr: readonly string[];
  /** Other spellings of a server whose login differs from the one docker used. */
  readonly dropped: readonly DroppedLogin[];
  /** `auths` keys left in place, with why (never their content). */
  readonly kept: readonly { readonly key: string; readonly why: string }[];
}

/** The Docker Hub key docker looks up (`registry.IndexServer`). */
const DOCKER_HUB = 'https://index.docker.io/v1/';

/**
 * The key docker asks its store for when it means the server of `key`: Docker Hub's URL, else
 * the host and port without scheme or path (docker's ConvertToHostname; its file store looks
 * this key up first, and any other spelling only when it is absent).
 */
export function dockerLookupKey(key: string): string {
  if (serverKey(key) === 'index.docker.io') return DOCKER_HUB;
  const scheme = key.indexOf('://');
  if (scheme !== -1) {
    // The URL's host and port as written (Go's url.Hostname and Port keep case and :443).
    const authority = key.slice(scheme + 3).split(/[/?#]/)[0] ?? '';
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    if (host) return host;
  }
  return key.split('/')[0] ?? key;
}

/**
 * Plans the migration from the parsed docker config. `file` names it in the refusal of two
 * logins for one server of which docker could have used either.
 */
export function planStoreMigration(
  config: Record<string, unknown>,
  file: string,
): StoreMigrationPlan {
  const store = config['credsStore'];
  const previousStore =
    typeof store === 'string' && store !== '' && store !== HELPER_SUFFIX ? store : undefined;
  const removals: string[] = [];
  const droppedEcr: string[] = [];
  const kept: { key: string; why: string }[] = [];
  // Logins grouped by server as the stores match them (`host`, `https://host/`, `HOST`).
  const servers = new Map<string, Credentials[]>();
  const auths = config['auths'];
  const entries = isRecord(auths) ? Object.entries(auths) : [];
  for (const [key, entry] of entries) {
    const login = isRecord(entry) ? loginOf(key, entry) : 'unreadable';
    if (login === 'empty') continue; // docker's marker for a login its credsStore holds
    if (login === 'unreadable') {
      kept.push({ key, why: 'not a user name and password docker can read' });
      continue;
    }
    removals.push(key);
    if (isEcrHost(key)) {
      droppedEcr.push(key);
      continue;
    }
    const server = serverKey(key) || key;
    servers.set(server, [...(servers.get(server) ?? []), login]);
  }
  const logins: MovingLogin[] = [];
  const dropped: DroppedLogin[] = [];
  for (const [server, group] of servers) {
    const chosen = choose(server, group, file);
    logins.push(chosen.login);
    dropped.push(...chosen.dropped);
  }
  return { previousStore, logins, removals, droppedEcr, dropped, kept };
}

/** The one login of a server's keys that moves, and the ones dropped for it. */
function choose(
  server: string,
  group: readonly Credentials[],
  file: string,
): { login: MovingLogin; dropped: DroppedLogin[] } {
  const keys = group.map((login) => login.serverUrl);
  const [first] = group;
  if (first === undefined) throw new HelperError('INTERNAL', 'internal error: an empty group');
  const exact = group.filter((login) => login.serverUrl === dockerLookupKey(login.serverUrl));
  if (group.every((login) => sameLogin(login, first))) {
    const serverUrl = exact[0]?.serverUrl ?? dockerLookupKey(first.serverUrl);
    return { login: { ...first, serverUrl, keys }, dropped: [] };
  }
  // Docker looked up the exact key; only when it was absent did it take any other spelling (in
  // Go's random map order), so without exactly one exact key nobody can tell which was used.
  const [used] = exact;
  if (used === undefined || exact.some((login) => !sameLogin(login, used))) {
    const listed = group.map(
      (login) => `auths[${quoteServerUrl(login.serverUrl)}] (user ${quote(login.username)})`,
    );
    throw new HelperError(
      'CONFIG',
      `${file} has different logins for ${quote(server)} under ${listed.slice(0, -1).join(', ')} and ${listed.at(-1) ?? ''}, and docker could have used either: remove the stale one (docker logout, or by hand), then run configure --store again; nothing was changed`,
    );
  }
  const dropped = group
    .filter((login) => !sameLogin(login, used))
    .map((login) => ({ key: login.serverUrl, username: login.username, keptKey: used.serverUrl }));
  const agreeing = group.filter((login) => sameLogin(login, used)).map((login) => login.serverUrl);
  return { login: { ...used, keys: agreeing }, dropped };
}

function sameLogin(a: Credentials, b: Credentials): boolean {
  return a.username === b.username && a.secret === b.secret;
}

/** Every readable login under the config's `auths` (server URL as keyed there). */
export function loginsIn(config: unknown): Credentials[] {
  const auths = isRecord(config) ? config['auths'] : undefined;
  if (!isRecord(auths)) return [];
  return Object.entries(auths).flatMap(([key, entry]) => {
    const login = isRecord(entry) ? loginOf(key, entry) : 'unreadable';
    return typeof login === 'string' ? [] : [login];
  });
}

/** The login an `auths` entry holds: `auth` (base64 user:password), the split form, or a token. */
function loginOf(
  key: string,
  entry: Record<string, unknown>,
): Credentials | 'empty' | 'unreadable' {
  const text = (name: string): string => {
    const value = entry[name];
    return typeof value === 'string' ? value : '';
  };
  if (text('identitytoken')) {
    return { serverUrl: key, username: '<token>', secret: text('identitytoken') };
  }
  if (text('auth')) {
    const decoded = Buffer.from(text('auth'), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text('auth').trim()) || colon <= 0) return 'unreadable';
    return { serverUrl: key, username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  if (text('username') && text('password')) {
    return { serverUrl: key, username: text('username'), secret: text('password') };
  }
  return Object.keys(entry).length === 0 || (!text('username') && !text('password'))
    ? 'empty'
    : 'unreadable';
}

/**
 * The fallback after the migration, and whether the helper's config file must say so. An earlier
 * credsStore must become the fallback (its logins stay reachable); a config file naming another
 * fallback would strand them, so that is refused before anything changes.
 */
export function chooseFallback(options: {
  previousStore: string | undefined;
  configured: string | undefined;
  configFile: string;
  dockerConfigFile: string;
}): { fallback: string; write: boolean } {
  const { previousStore, configured } = options;
  if (previousStore === undefined) return { fallback: configured ?? 'file', write: false };
  if (configured === undefined) return { fallback: previousStore, write: true };
  if (configured === previousStore) return { fallback: configured, write: false };
  throw new HelperError(
    'CONFIG',
    `${options.dockerConfigFile} has credsStore "${previousStore}" but ${options.configFile} sets fallback "${configured}": the logins in ${previousStore} would no longer be found. Set "fallback": "${previousStore}" there (or move those logins yourself), then run configure --store again; nothing was changed`,
  );
}

/** `text` (a JSON object, docker's or ours) without the given `auths` keys; every other byte kept. */
export function removeAuths(text: string, keys: readonly string[]): string {
  let out = text;
  for (const key of keys)
    out = applyEdits(
      out,
      modify(out, ['auths', key], undefined, { formattingOptions: formatting(out) }),
    );
  return out;
}

/** The helper's config file text with `fallback` set; null text: a new file. */
export function withFallback(text: string | null, fallback: string): string {
  if (text === null || text.trim() === '') return `${JSON.stringify({ fallback }, null, 2)}\n`;
  return applyEdits(
    text,
    modify(text, ['fallback'], fallback, { formattingOptions: formatting(text) }),
  );
}

/** The file's own indentation for inserted text (docker writes tabs). */
export function formatting(text: string): FormattingOptions {
  const indent = /^\{\s*?\n([ \t]+)"/.exec(text)?.[1] ?? '\t';
  return indent.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1 }
    : { insertSpaces: true, tabSize: indent.length };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
