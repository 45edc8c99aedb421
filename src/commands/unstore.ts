/**
 * `configure --unstore`: undoes `configure --store` (docs/configure.md#going-back-configure---unstore),
 * and `configure --remove` runs it too before it takes our credHelpers entries out (remove.ts).
 * The logins go back where docker will look without this helper (the earlier credsStore, or
 * `auths`; a helper fallback holding other logins stays their credsStore), credsStore is
 * restored, in the order that loses nothing if it stops midway: copied into a helper and read
 * back, then config.json rewritten after a backup and read back, and only then taken out of the
 * fallback. A run that stopped before that last step is finished by the next one.
 */
import type { Progress } from '../call-context';
import { configFilePath } from '../config/config-file-path';
import { nonEmpty, type Env } from '../env';
import { HelperError, isHelperError } from '../errors';
import { processOwner } from '../fs/owner';
import { quote, quoteServerUrl } from '../quote';
import { storeNameOf } from '../routing/routes';
import type { CredentialStore, Credentials, OpenStore } from '../stores/credential-store';
import { prunedLine } from './config-backups';
import { dockerConfigFile } from './docker-config-file';
import {
  decode,
  editUntilStable,
  foreignOwner,
  readConfig,
  refuseReadOnly,
  resolveLink,
  withLockedConfig,
} from './edit-config-file';
import { readHelperConfig } from './helper-config-file';
import { configuredFallback } from './migrate-store';
import { planConfigure, type ConfigureChange, type ConfigurePlan } from './plan-configure';
import {
  authsHold,
  chooseDestination,
  loginsToMove,
  othersInFallback,
  planUnstoreEdit,
  storeIsOurs,
  type Destination,
  type LoginToMove,
  type OthersInFallback,
  type UnstoreEdit,
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
  /** How messages name the command (default `configure --unstore`). */
  readonly command?: string;
}

/** Another change made in the same write of config.json (--remove: our credHelpers entries). */
export type AlsoEdit = (text: string) => ConfigurePlan;

/** What `--unstore` did (or would do); never a secret. */
export interface UnstoreReport {
  readonly file: string;
  readonly dryRun: boolean;
  /** credsStore when it was not this helper: nothing was undone. */
  readonly notOurs?: string | null;
  readonly recordFound: boolean;
  /** The credsStore before configure --store, as its record says (null: none or no record). */
  readonly previousCredsStore: string | null;
  readonly fallback: string;
  readonly destination: Destination;
  /** Logins of a helper fallback configure --store did not put there. */
  readonly others: OthersInFallback;
  /** The fallback stays docker's credsStore because of `others` (else: the record's choice). */
  readonly keptInFallback: boolean;
  readonly moved: readonly LoginToMove[];
  readonly left: readonly { readonly serverUrl: string; readonly why: string }[];
  /** Copies taken out of the fallback once they were safe at the destination. */
  readonly erased: readonly string[];
  /** The AlsoEdit's changes. */
  readonly alsoChanges: readonly ConfigureChange[];
  /** Whether config.json was (or, in a dry run, would be) rewritten. */
  readonly rewrites: boolean;
  readonly backup: string | null;
  readonly prunedBackups: readonly string[];
  /** The earlier run this one finished (it had stopped before cleaning the fallback). */
  readonly finished: boolean;
}

/** Undoes `configure --store` for the docker config of `env`. */
export async function unstore(options: UnstoreOptions): Promise<UnstoreReport> {
  return undoStore(dockerConfigFile(options.env), options, null);
}

/** Undoes `--store` for `file`, making `also`'s change in the same write; locked unless a dry run. */
export async function undoStore(
  file: string,
  options: UnstoreOptions,
  also: AlsoEdit | null,
): Promise<UnstoreReport> {
  const progress = options.progress ?? { step: '' };
  progress.step = `reading ${file}`;
  if (options.dryRun) return undo(file, options, also);
  return withLockedConfig(file, progress, async () => {
    progress.step = `updating ${file}`;
    return undo(file, options, also);
  });
}

async function undo(
  file: string,
  options: UnstoreOptions,
  also: AlsoEdit | null,
): Promise<UnstoreReport> {
  const first = readConfig(resolveLink(file));
  const text = decode(first, file);
  const config = parse(text, file);
  const ownerUid = first ? Number(first.stats.uid) : processOwner().euid;
  const record = readStoreRecord(file, ownerUid);
  const fallback = currentFallback(options);
  const fallbackStore = options.openStore(storeNameOf(fallback));
  const base = {
    file,
    dryRun: options.dryRun,
    recordFound: record !== null,
    previousCredsStore: record?.previousCredsStore ?? null,
    fallback,
    others: [],
    keptInFallback: false,
    backup: null,
    prunedBackups: [],
    alsoChanges: [],
    rewrites: false,
    finished: false,
  };
  if (!storeIsOurs(config)) {
    const current = typeof config['credsStore'] === 'string' ? config['credsStore'] : null;
    // Where an earlier run that got this far sent the logins (it had nothing to keep in place).
    const destination = chooseDestination(record, fallback);
    const notOurs = { ...base, notOurs: current, destination, moved: [], left: [] };
    let erased: string[] = [];
    let finished = false;
    // A run that stopped after rewriting config.json left copies in the fallback: finish it.
    const foreign = movesLogins(fallback, destination) ? foreignOwner(file) : undefined;
    if (
      record &&
      !options.dryRun &&
      foreign === undefined &&
      current === record.previousCredsStore
    ) {
      const stores = storesOf(options, fallbackStore, fallback, destination);
      const list = fallback === 'file' ? await fallbackStore.list() : null;
      const moving = await readLogins(fallbackStore, toMove(destination, fallback, record, list));
      erased = await eraseCopies(stores, destination, config, moving);
      removeStoreRecord(file);
      finished = true;
    }
    if (!also) return { ...notOurs, erased, finished };
    if (options.dryRun) {
      const plan = also(text);
      return { ...notOurs, erased, finished, alsoChanges: plan.changes, rewrites: !!plan.text };
    }
    const edited = await editUntilStable({
      file,
      now: options.now,
      round: async (current) => {
        const plan = also(current);
        return { text: plan.text, result: plan };
      },
    });
    return {
      ...notOurs,
      erased,
      finished,
      alsoChanges: edited.result.changes,
      rewrites: edited.wrote,
      backup: edited.backup,
      prunedBackups: edited.prunedBackups,
    };
  }

  // Refused before any login moves, as configure does (edit-config-file.ts refuses it again).
  if (!options.dryRun) refuseReadOnly(first, file);
  // What the fallback holds beyond what --store put there decides where docker must look.
  const helperFallback = fallback !== 'file' && fallback !== 'none';
  const others = helperFallback
    ? othersInFallback(await fallbackStore.list().catch(() => null), record)
    : [];
  const destination = chooseDestination(record, fallback, others);
  const keptInFallback = !sameDestination(destination, chooseDestination(record, fallback));
  const stores = storesOf(options, fallbackStore, fallback, destination);
  // Logins move between stores of whoever runs this: for another user's config, that is wrong.
  const foreign = movesLogins(fallback, destination) ? foreignOwner(file) : undefined;
  if (foreign !== undefined) {
    const command = options.command ?? 'configure --unstore';
    throw new HelperError(
      'CONFIG',
      `${file} belongs to uid ${foreign}, not to this user (uid ${processOwner().euid ?? 'unknown'}): ${command} would move logins of this user's store into it; run ${command} as that user (e.g. sudo -u '#${foreign}' docker-credential-ecr-ts ${command}), nothing was changed`,
    );
  }
  const fileStoreList = fallback === 'file' ? await fallbackStore.list() : null;
  const planned = toMove(destination, fallback, record, fileStoreList);
  const ours = { ...base, destination, others, keptInFallback, rewrites: true };
  const both = (current: string, logins: readonly Credentials[]) => {
    const edit = planUnstoreEdit(current, destination, logins);
    const plan = also?.(edit.text) ?? null;
    return { text: plan?.text ?? edit.text, edit, plan };
  };
  if (options.dryRun) {
    const { edit, plan } = both(text, planned.map(withoutSecret));
    return {
      ...ours,
      moved: planned,
      left: edit.conflicts,
      erased: [],
      alsoChanges: plan?.changes ?? [],
    };
  }
  const left: { serverUrl: string; why: string }[] = [];
  const moving = await readLogins(fallbackStore, planned, left);
  if (stores.destination) await copyInto(stores.destination, moving);
  const edited = await editUntilStable<{ edit: UnstoreEdit; plan: ConfigurePlan | null }>({
    file,
    now: options.now,
    round: async (current) => {
      const now = parse(current, file);
      if (!storeIsOurs(now)) {
        if (!alreadyUndone(now, destination)) {
          throw new HelperError(
            'CONFIG',
            `credsStore in ${file} changed while configure ran; run ${options.command ?? 'configure --unstore'} again`,
          );
        }
        const plan = also?.(current) ?? null;
        const edit = planUnstoreEdit(current, destination, moving);
        return { text: plan?.text ?? null, result: { edit, plan } };
      }
      const { text: after, edit, plan } = both(current, moving);
      return { text: after, result: { edit, plan } };
    },
  });
  left.push(...edited.result.edit.conflicts);
  // Read back: only what config.json (or the helper) now holds leaves the fallback.
  const after = parse(decode(readConfig(resolveLink(file)), file), file);
  const safe = moving.filter((login) => !left.some((l) => l.serverUrl === login.serverUrl));
  const erased = await eraseCopies(stores, destination, after, safe);
  removeStoreRecord(file);
  return {
    ...ours,
    moved: safe.map(({ serverUrl, username }) => ({ serverUrl, username })),
    left,
    erased,
    alsoChanges: edited.result.plan?.changes ?? [],
    backup: edited.backup,
    prunedBackups: edited.prunedBackups,
  };
}

function sameDestination(a: Destination, b: Destination): boolean {
  if (a.kind === 'auths' || b.kind === 'auths') return a.kind === b.kind;
  return a.name === b.name;
}

/** Whether undoing moves logins out of the fallback (it is not where docker will look). */
function movesLogins(fallback: string, destination: Destination): boolean {
  return fallback !== 'none' && !(destination.kind === 'helper' && destination.name === fallback);
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
  fallbackStore: CredentialStore,
  fallback: string,
  destination: Destination,
): { fallback: CredentialStore; destination: CredentialStore | null } {
  return {
    fallback: fallbackStore,
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
  const lines: string[] = [];
  if (report.notOurs !== undefined) {
    lines.push(...finishedLines(report));
    const is = report.notOurs === null ? 'is not set' : `is ${quote(report.notOurs)}`;
    lines.push(`credsStore in ${report.file} ${is}, not "ecr-ts": nothing to undo`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(...undoLines(report));
  if (report.dryRun) lines.push(`dry run: ${report.file} not written`);
  else {
    const backup = report.backup ? ` (previous file saved as ${report.backup})` : '';
    lines.push(`wrote ${report.file}${backup}`);
  }
  lines.push(...erasedLines(report), ...prunedLine(report.file, report.prunedBackups));
  return `${lines.join('\n')}\n`;
}

/** What an earlier run that stopped midway left and this one finished. */
export function finishedLines(report: UnstoreReport): string[] {
  if (!report.finished) return [];
  return [
    `finished an earlier configure --unstore that stopped midway:`,
    ...report.erased.map(
      (url) => `removed the copy of ${quoteServerUrl(url)} from ${label(report.fallback)}`,
    ),
  ];
}

/** credsStore and the logins: where they go (or would), what stays; user names, no secret. */
export function undoLines(report: UnstoreReport): string[] {
  const would = report.dryRun ? 'would ' : '';
  const lines: string[] = [];
  const { destination, others } = report;
  if (report.keptInFallback) {
    const what =
      others === 'unknown'
        ? 'cannot list its logins, so it may hold logins configure --store did not put there'
        : `holds ${others.length} login(s) configure --store did not put there (${serverList(others)})`;
    lines.push(
      `${label(report.fallback)} ${what}: it becomes the credsStore, so docker keeps reading every login it read through ecr-ts`,
    );
  } else if (!report.recordFound) {
    lines.push(
      `no record of configure --store beside ${report.file}: ${destination.kind === 'helper' ? `the fallback ${quote(report.fallback)} becomes the credsStore, as it holds the logins` : `the logins of ${label(report.fallback)} go to auths`}`,
    );
  }
  lines.push(
    destination.kind === 'helper'
      ? `${would}set credsStore = ${quote(destination.name)} (was "ecr-ts")`
      : `${would}remove credsStore (was "ecr-ts")`,
  );
  const into = destination.kind === 'helper' ? `docker-credential-${destination.name}` : 'auths';
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
  return lines;
}

/** How many moved logins left the fallback. */
export function erasedLines(report: UnstoreReport): string[] {
  if (report.dryRun || report.notOurs !== undefined || report.erased.length === 0) return [];
  return [`removed ${report.erased.length} moved login(s) from ${label(report.fallback)}`];
}

/** Up to five servers, quoted, then how many more. */
function serverList(servers: readonly string[]): string {
  const shown = servers.slice(0, 5).map(quoteServerUrl).join(', ');
  return servers.length > 5 ? `${shown} and ${servers.length - 5} more` : shown;
}

function label(fallback: string): string {
  return fallback === 'file' ? 'the file store' : `docker-credential-${fallback}`;
}
