/**
 * The I/O of `configure --store`'s migration, in the order that loses nothing if any step fails:
 * the fallback is written into the helper's config file first, each plaintext login is then
 * stored into the fallback and read back, and only after that does the caller rewrite
 * config.json (after a backup). A failure stops before config.json changes; a login already
 * copied is merely in two places. The caller plans each write from config.json as it is then, and
 * moves again any login another program changed or added meanwhile (docker login does not lock).
 */
import { configFilePath } from '../config/config-file-path';
import type { Env } from '../env';
import { HelperError } from '../errors';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../fs/read-regular-file';
import { quoteServerUrl } from '../quote';
import { storeNameOf } from '../routing/routes';
import type { CredentialStore, Credentials, OpenStore } from '../stores/credential-store';
import { configBackups } from './config-backups';
import { readHelperConfig, writeHelperConfig } from './helper-config-file';
import { chooseFallback, loginsIn, withFallback, type MovingLogin } from './plan-store-migration';

/** Where the logins go, and what the helper's config file got. */
export interface FallbackChoice {
  readonly configFile: string;
  readonly fallback: string;
  /** True when the helper's config file gets `fallback` (an earlier credsStore). */
  readonly fallbackWritten: boolean;
  /** The config file's copy before it changed. */
  readonly configBackup: string | null;
}

/** The fallback chosen (and, unless a dry run, written) and the moves into it. */
export interface StoreMigration extends FallbackChoice {
  /**
   * Stores each login the fallback did not get from this run with the same user and password,
   * and reads it back; throws before config.json may change if one does not come back.
   */
  move(logins: readonly MovingLogin[]): Promise<void>;
  /** Servers whose login changed after it was first moved (moved again with the new value). */
  readonly changed: readonly string[];
  /** Every login this run stored, by server URL. */
  readonly stored: ReadonlyMap<string, Credentials>;
}

/** Chooses the fallback (writing it into the helper's config file unless a dry run). */
export function startStoreMigration(options: {
  previousStore: string | undefined;
  /** How many logins the first plan moves (a fallback "none" cannot keep any). */
  loginCount: number;
  dockerConfigFile: string;
  env: Env;
  home: string | null;
  dryRun: boolean;
  openStore: OpenStore;
  now: () => Date;
}): StoreMigration {
  const configFile = configFilePath(options.env, options.home).path;
  if (configFile === null) {
    throw new HelperError(
      'CONFIG',
      'configure --store needs a home folder, XDG_CONFIG_HOME or ECR_TS_CONFIG for the helper config file',
    );
  }
  const configText = readHelperConfig(configFile);
  const choice = chooseFallback({
    previousStore: options.previousStore,
    configured: configuredFallback(configText, configFile),
    configFile,
    dockerConfigFile: options.dockerConfigFile,
  });
  if (choice.fallback === 'none' && options.loginCount > 0) {
    throw new HelperError(
      'CONFIG',
      `${options.dockerConfigFile} holds ${options.loginCount} login(s) under "auths", but ${configFile} sets fallback "none": set a fallback that can keep them ("file", "pass", ...) and run configure --store again; nothing was changed`,
    );
  }
  const configBackup =
    choice.write && !options.dryRun
      ? writeHelperConfig({
          path: configFile,
          edit: (text) => withFallback(text, choice.fallback),
          now: options.now,
        })
      : null;
  const stored = new Map<string, Credentials>();
  const changed: string[] = [];
  let store: CredentialStore | undefined;
  return {
    configFile,
    fallback: choice.fallback,
    fallbackWritten: choice.write,
    configBackup,
    stored,
    changed,
    async move(logins) {
      if (options.dryRun) return;
      for (const login of logins) {
        const before = stored.get(login.serverUrl);
        if (before && sameLogin(before, login)) continue;
        store ??= options.openStore(storeNameOf(choice.fallback));
        await moveOne(store, login);
        if (before) changed.push(login.serverUrl);
        stored.set(login.serverUrl, login);
      }
    },
  };
}

/** Stores `login` and reads it back. */
async function moveOne(store: CredentialStore, login: Credentials): Promise<void> {
  const { serverUrl, username, secret } = login;
  await store.store({ serverUrl, username, secret });
  let back;
  try {
    back = await store.get(serverUrl);
  } catch (error) {
    throw unverified(serverUrl, store.label, error instanceof Error ? error.message : '');
  }
  if (!sameLogin(back, login))
    throw unverified(serverUrl, store.label, 'it answered another login');
}

function sameLogin(a: Credentials, b: Credentials): boolean {
  return a.username === b.username && a.secret === b.secret;
}

function unverified(serverUrl: string, label: string, why: string): HelperError {
  return new HelperError(
    'STORE',
    `moving the login for ${quoteServerUrl(serverUrl)} into ${label} could not be verified (${why}); config.json was not changed`,
  );
}

/** The `fallback` the helper's config file names, if any (the routes parser validates the rest). */
export function configuredFallback(text: string | null, file: string): string | undefined {
  if (text === null || text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HelperError('CONFIG', `${file}: not valid JSON; fix it first, nothing was changed`);
  }
  const fallback = (value as { fallback?: unknown } | null)?.fallback;
  if (fallback === undefined) return undefined;
  if (typeof fallback !== 'string' || !fallback) {
    throw new HelperError('CONFIG', `${file}: fallback: expected a string`);
  }
  return fallback;
}

/**
 * The backups of `file` (docker's config.json) holding any of `logins` (user and password) in
 * plain text, and how many: after a migration, configure names them (it never deletes them).
 */
export function backupsHolding(
  file: string,
  logins: readonly Credentials[],
): { path: string; count: number }[] {
  const found: { path: string; count: number }[] = [];
  for (const path of configBackups(file)) {
    let held: Credentials[];
    try {
      held = loginsIn(JSON.parse(readRegularFile(path, MAX_SETTINGS_BYTES).bytes.toString('utf8')));
    } catch {
      continue; // unreadable or not JSON: nothing configure could say about it
    }
    const count = logins.filter((login) =>
      held.some((old) => old.username === login.username && old.secret === login.secret),
    ).length;
    if (count > 0) found.push({ path, count });
  }
  return found;
}
