/**
 * Pure part of `configure --store`'s migration (docs/universal-mode.md): which store becomes the fallback, which
 * plaintext logins of the docker config's `auths` move into it, and the edited texts. Nothing
 * here touches a file; migrate-store.ts does, in an order that loses nothing if it stops midway.
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { HelperError } from '../errors';
import { isEcrHost } from '../registry/parse-registry';
import type { Credentials } from '../stores/credential-store';
import { HELPER_SUFFIX } from './plan-configure';

/** What moving to `credsStore: ecr-ts` changes besides credsStore itself. */
export interface StoreMigrationPlan {
  /** The docker config's credsStore before, when it named another helper: the fallback now. */
  readonly previousStore: string | undefined;
  /** Plaintext logins under `auths`, to move into the fallback store. */
  readonly logins: readonly Credentials[];
  /** `auths` keys that leave config.json: the moved logins, and stale ECR tokens. */
  readonly removals: readonly string[];
  /** ECR hosts whose saved tokens are dropped: the helper mints them on demand. */
  readonly droppedEcr: readonly string[];
  /** `auths` keys left in place, with why (never their content). */
  readonly kept: readonly { readonly key: string; readonly why: string }[];
}

/** Plans the migration from the parsed docker config. */
export function planStoreMigration(config: Record<string, unknown>): StoreMigrationPlan {
  const store = config['credsStore'];
  const previousStore =
    typeof store === 'string' && store !== '' && store !== HELPER_SUFFIX ? store : undefined;
  const logins: Credentials[] = [];
  const removals: string[] = [];
  const droppedEcr: string[] = [];
  const kept: { key: string; why: string }[] = [];
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
    if (isEcrHost(key)) droppedEcr.push(key);
    else logins.push(login);
  }
  return { previousStore, logins, removals, droppedEcr, kept };
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
function formatting(text: string): FormattingOptions {
  const indent = /^\{\s*?\n([ \t]+)"/.exec(text)?.[1] ?? '\t';
  return indent.startsWith('\t')
    ? { insertSpaces: false, tabSize: 1 }
    : { insertSpaces: true, tabSize: indent.length };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
