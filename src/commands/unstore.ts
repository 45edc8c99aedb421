/**
 * `configure --unstore`: undoes `configure --store` (docs/configure.md#going-back-configure---unstore).
 * The logins go back where docker will look without this helper (the earlier credsStore, or
 * `auths`), credsStore is restored, in the order that loses nothing if it stops midway: copied
 * into a helper and read back, then config.json rewritten after a backup and read back, and only
 * then taken out of the fallback. A run that stopped before that last step is finished by the
 * next one.
 */
import type { Progress } from '../call-context';
import { configFilePath } from '../config/config-file-path';
import { nonEmpty, type Env } from '../env';
import { HelperError, isHelperError } from '../errors';
import { processOwner } from '../fs/owner';
import { quote, quoteServerUrl } from '../quote';
import { storeNameOf } from '../routing/routes';
import type { CredentialStore, Credentials, OpenStore } from '../stores/credential-store';
import { pruneBackups } from './config-backups';
import { dockerConfigFile } from './configure';
import {
  decode,
  editUntilStable,
  foreignOwner,
  readConfig,
  resolveLink,
  withLockedConfig,
} from './edit-docker-config';
import { readHelperConfig } from './helper-config-file';
import { configuredFallback } from './migrate-store';
import { planConfigure } from './plan-configure';
import {
  authsHold,
  chooseDestination,
  loginsToMove,
  planUnstoreEdit,
  storeIsOurs,
  type Destination,
  type LoginToMove,
} from './plan-unstore';
import { readStoreRecord, removeStoreRecord, type StoreRecord } from './store-record';

/** Inputs of one `configure --unstore` run. */
export interface UnstoreOptions {
  readonly dryRun: boolean;
  readonly env: Env;
  readonly now: () => Date;
  readonly progress?: Progress;
  /** The user's home (the helper's config file names the fallback). */
  readonly home?: string | null;
  readonly openStore: OpenStore;
}

/** What `--unstore` did (or would do); never a secret. */
export interface UnstoreReport {
  readonly file: string;
  readonly dryRun: boolean;
  /** credsStore when it was not this helper: nothing was undone. */
  readonly notOurs?: string | null;
  readonly recordFound: boolean;
  readonly fallback: string;
  readonly destination: Destination;
  readonly moved: readonly LoginToMove[];
  readonly left: readonly { readonly serverUrl: string; readonly why: string }[];
  /** Logins of a helper fallback that configure --store did not put there; they stay. */
  readonly othersInFallback: number;
  /** Copies taken out of the fallback once they were safe at the destination. */
  readonly erased: readonly string[];
  readonly backup: string | null;
  readonly prunedBackups: readonly string[];
  /** The earlier run this one finished (it had stopped before cleaning the fallback). */
  readonly finished: boolean;
}

/** Undoes `configure --store` for the docker config of `env`. */
export async function unstore(options: UnstoreOptions): Promise<UnstoreReport> {
  const file = dockerConfigFile(options.env);
  const progress = options.progress ?? { step: '' };
  progress.step = `reading ${file}`;
  if (options.dryRun) return undo(file, options);
  return withLockedConfig(file, progress, async () => {
    progress.step = `updating ${file}`;
    return undo(file, options);
  });
}

async function undo(file: string, options: UnstoreOptions): Promise<UnstoreReport> {
  const first = readConfig(resolveLink(file));
  const text = decode(first, file);
  const config = parse(text, file);
  const ownerUid = first ? Number(first.stats.uid) : processOwner().euid;
  const record = readStoreRecord(file, ownerUid);
  const fallback = currentFallback(options);
  const destination = chooseDestination(record, fallback);
  const stores = storesOf(options, fallback, destination);
  const base = {
    file,
    dryRun: options.dryRun,
    recordFound: record !== null,
    fallback,
    destination,
    backup: null,
    prunedBackups: [],
    othersInFallback: 0,
    finished: false,
  };
  // Logins move between stores of whoever runs this: for another user's config, that is wrong.
  const moves =
    fallback !== 'none' && !(destination.kind === 'helper' && destination.name === fallback);
  const foreign = moves ? foreignOwner(file) : undefined;
  if (!storeIsOurs(config)) {
    const current = typeof config['credsStore'] === 'string' ? config['credsStore'] : null;
    // A run that stopped after rewriting config.json left copies in the fallback: finish it.
    if (
      record &&
      !options.dryRun &&
      foreign === undefined &&
      current === record.previousCredsStore
    ) {
      const list = fallback === 'file' ? await stores.fallback.list() : null;
      const moving = await readLogins(stores.fallback, toMove(destination, fallback, record, list));
      const erased = await eraseCopies(stores, destination, config, moving);
      removeStoreRecord(file);
      return { ...base, notOurs: current, moved: [], left: [], erased, finished: true };
    }
    return { ...base, notOurs: current, moved: [], left: [], erased: [] };
  }
  if (foreign !== undefined) {
    throw new HelperError(
      'CONFIG',
      `${file} belongs to uid ${foreign}, not to this user (uid ${processOwner().euid ?? 'unknown'}): configure --unstore would move logins of this user's store into it; run configure --unstore as that user (e.g. sudo -u '#${foreign}' docker-credential-ecr-ts configure --unstore), nothing was changed`,
    );
  }
  const fileStoreList = fallback === 'file' ? await stores.fallback.list() : null;
  const planned = toMove(destination, fallback, record, fileStoreList);
  const othersInFallback = await countOthers(stores.fallback, fallback, destination, planned);
  if (options.dryRun) {
    const edit = planUnstoreEdit(text, destination, planned.map(withoutSecret));
    return {
      ...base,
      moved: planned,
      left: edit.conflicts,
      othersInFallback,
      erased: [],
    };
  }
  const left: { serverUrl: string; why: string }[] = [];
  const moving = await readLogins(stores.fallback, planned, left);
  if (stores.destination) await copyInto(stores.destination, moving);
  const edited = await editUntilStable({
    file,
    now: options.now,
    round: async (current) => {
      const now = parse(current, file);
      if (!storeIsOurs(now)) {
        if (!alreadyUndone(now, destination)) {
          throw new HelperError(
            'CONFIG',
            `credsStore in ${file} changed while configure ran; run configure --unstore again`,
          );
        }
        return { text: null, result: planUnstoreEdit(current, destination, moving) };
      }
      const edit = planUnstoreEdit(current, destination, moving);
      return { text: edit.text, result: edit };
    },
  });
  left.push(...edited.result.conflicts);
  // Read back: only what config.json (or the helper) now holds leaves the fallback.
  const after = parse(decode(readConfig(resolveLink(file)), file), file);
  const safe = moving.filter((login) => !left.some((l) => l.serverUrl === login.serverUrl));
  const erased = await eraseCopies(stores, destination, after, safe);
  removeStoreRecord(file);
  return {
    ...base,
    moved: safe.map(({ serverUrl, username }) => ({ serverUrl, username })),
    left,
    othersInFallback,
    erased,
    backup: edited.backup,
    prunedBackups: edited.backup ? pruneBackups(file) : [],
  };
}

/** Whether the config already says what the destination needs (our own earlier write). */
function alreadyUndone(config: Record<string, unknown>, destination: Destination): boolean {
  const store = config['credsStore'];
  return destination.kind === 'helper' ? store === destination.name : store === undefined;
}

function toMove(
  destination: Destination,
  fallback: string,
  record: StoreRecord | null,
  fileStoreList: Readonly<Record<string, string>> | null,
): LoginToMove[] {
  return loginsToMove({ destination, fallback, record, fileStoreList });
}

/** The fallback store and, for a helper destination other than it, that helper's store. */
function storesOf(
  options: UnstoreOptions,
  fallback: string,
  destination: Destination,
): { fallback: CredentialStore; destination: CredentialStore | null } {
  return {
    fallback: options.openStore(storeNameOf(fallback)),
    destination:
      destination.kind === 'helper' && destination.name !== fallback
        ? options.openStore({ kind: 'helper', name: destination.name })
        : null,
  };
}

function currentFallback(options: UnstoreOptions): string {
  const home = options.home === undefined ? (nonEmpty(options.env['HOME']) ?? null) : options.home;
  const path = configFilePath(options.env, home).path;
  const configured = path === null ? undefined : configuredFallback(readHelperConfig(path), path);
  return configured ?? 'file';
}

/** Each login with its secret, from the fallback; one no longer there is noted in `left`. */
async function readLogins(
  store: CredentialStore,
  logins: readonly LoginToMove[],
  left: { serverUrl: string; why: string }[] = [],
): Promise<Credentials[]> {
  const found: Credentials[] = [];
  for (const { serverUrl } of logins) {
    try {
      const login = await store.get(serverUrl);
      found.push({ serverUrl, username: login.username, secret: login.secret });
    } catch (error) {
      if (!isHelperError(error, 'NOT_FOUND')) throw error;
      left.push({ serverUrl, why: `${store.label} no longer holds it` });
    }
  }
  return found;
}

/** Stores each login into `store` and reads it back, before config.json changes. */
async function copyInto(store: CredentialStore, logins: readonly Credentials[]): Promise<void> {
  for (const login of logins) {
    await store.store(login);
    const back = await store.get(login.serverUrl).catch(() => null);
    if (!back || back.username !== login.username || back.secret !== login.secret) {
      throw new HelperError(
        'STORE',
        `moving the login for ${quoteServerUrl(login.serverUrl)} into ${store.label} could not be verified; config.json was not changed`,
      );
    }
  }
}

/**
 * Takes each login out of the fallback once the destination holds it, and only while the
 * fallback still holds that same login; returns the server URLs erased.
 */
async function eraseCopies(
  stores: { fallback: CredentialStore; destination: CredentialStore | null },
  destination: Destination,
  config: Record<string, unknown>,
  logins: readonly Credentials[],
): Promise<string[]> {
  const erased: string[] = [];
  for (const login of logins) {
    const safe =
      destination.kind === 'auths'
        ? authsHold(config, login)
        : await stores.destination
            ?.get(login.serverUrl)
            .then((held) => held.username === login.username && held.secret === login.secret)
            .catch(() => false);
    if (!safe) continue;
    const still = await stores.fallback.get(login.serverUrl).catch(() => null);
    if (!still || still.username !== login.username || still.secret !== login.secret) continue;
    await stores.fallback.erase(login.serverUrl);
    erased.push(login.serverUrl);
  }
  return erased;
}

/** How many logins of a helper fallback stay there (not put there by configure --store). */
async function countOthers(
  store: CredentialStore,
  fallback: string,
  destination: Destination,
  planned: readonly LoginToMove[],
): Promise<number> {
  if (fallback === 'file' || fallback === 'none') return 0;
  if (destination.kind === 'helper' && destination.name === fallback) return 0;
  try {
    const listed = Object.keys(await store.list());
    return listed.filter((url) => !planned.some((login) => login.serverUrl === url)).length;
  } catch {
    return 0; // a helper without list: nothing to say about the rest
  }
}

function withoutSecret(login: LoginToMove): Credentials {
  return { ...login, secret: '' };
}

/** docker's config, parsed once it is known to be valid (JSON.parse may quote the text). */
function parse(text: string, file: string): Record<string, unknown> {
  planConfigure(text, { registries: [], store: false }, file);
  return text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The report as the lines a person reads in a terminal. */
export function formatUnstoreReport(report: UnstoreReport): string {
  const would = report.dryRun ? 'would ' : '';
  const lines: string[] = [];
  if (report.notOurs !== undefined) {
    const is = report.notOurs === null ? 'is not set' : `is ${quote(report.notOurs)}`;
    if (report.finished) {
      lines.push(`finished an earlier configure --unstore that stopped midway:`);
      for (const url of report.erased)
        lines.push(`removed the copy of ${quoteServerUrl(url)} from ${label(report.fallback)}`);
    }
    lines.push(`credsStore in ${report.file} ${is}, not "ecr-ts": nothing to undo`);
    return `${lines.join('\n')}\n`;
  }
  if (!report.recordFound) {
    lines.push(
      `no record of configure --store beside ${report.file}: ${report.destination.kind === 'helper' ? `the fallback ${quote(report.fallback)} becomes the credsStore, as it holds the logins` : `the logins of ${label(report.fallback)} go to auths`}`,
    );
  }
  lines.push(
    report.destination.kind === 'helper'
      ? `${would}set credsStore = ${quote(report.destination.name)} (was "ecr-ts")`
      : `${would}remove credsStore (was "ecr-ts")`,
  );
  const into =
    report.destination.kind === 'helper' ? `docker-credential-${report.destination.name}` : 'auths';
  for (const { serverUrl, username } of report.moved) {
    lines.push(
      `${would}move the login for ${quoteServerUrl(serverUrl)} (user ${quote(username)}) from ${label(report.fallback)} into ${into}`,
    );
  }
  for (const { serverUrl, why } of report.left) {
    lines.push(
      `left the login for ${quoteServerUrl(serverUrl)} in ${label(report.fallback)}: ${why}`,
    );
  }
  if (report.othersInFallback > 0) {
    lines.push(
      `${report.othersInFallback} other login(s) stay in ${label(report.fallback)} (configure --store did not put them there); docker reads them only through a credsStore: docker login again to use them`,
    );
  }
  if (report.dryRun) lines.push(`dry run: ${report.file} not written`);
  else {
    const backup = report.backup ? ` (previous file saved as ${report.backup})` : '';
    lines.push(`wrote ${report.file}${backup}`);
    if (report.erased.length > 0) {
      lines.push(`removed ${report.erased.length} moved login(s) from ${label(report.fallback)}`);
    }
  }
  if (report.prunedBackups.length > 0) {
    lines.push(
      `removed ${report.prunedBackups.length} older backups of ${report.file} (the newest 5 are kept)`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function label(fallback: string): string {
  return fallback === 'file' ? 'the file store' : `docker-credential-${fallback}`;
}
