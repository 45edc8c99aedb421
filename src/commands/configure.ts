/**
 * `configure`: routes ECR registries (credHelpers) or every registry (credsStore) to the helper in
 * the docker config. Locked against concurrent runs, written atomically after a backup, checked
 * against other programs' writes just before and after the rename, and a no-op when the file
 * already says what we want.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Progress } from '../call-context';
import { nonEmpty, type Env } from '../env';
import { NO_HOME } from '../config/resolve-home';
import { HelperError } from '../errors';
import { tryLock } from '../fs/lock';
import { makeDirSync, UnsafeFolderError } from '../fs/make-dir';
import { poll } from '../fs/poll';
import { quote, quoteServerUrl } from '../quote';
import type { OpenStore } from '../stores/credential-store';
import { migrateStore, type StoreMigrationReport } from './migrate-store';
import { nameRegistries, namedRegistriesLines, type NamedRegistries } from './name-registries';
import {
  planConfigure,
  type ConfigureChange,
  type ConfigurePlan,
  type ConfigureRequest,
} from './plan-configure';
import { planStoreMigration, removeAuths } from './plan-store-migration';
import {
  readVersion,
  replaceIfUnchanged,
  type FileVersion,
  type ReplaceOutcome,
} from '../fs/replace-file';

/** Inputs of one `configure` run; env and clock are passed in, never read from `process`. */
export interface ConfigureOptions extends ConfigureRequest {
  readonly dryRun: boolean;
  readonly env: Env;
  readonly now: () => Date;
  /** Where a timeout reads what configure was doing. */
  readonly progress?: Progress;
  /** For --store: the user's home (the helper's config file) and the stores logins move into. */
  readonly home?: string | null;
  readonly openStore?: OpenStore;
}

/** What `configure` did (or, with dryRun, would do). */
export interface ConfigureReport {
  readonly file: string;
  readonly changes: readonly ConfigureChange[];
  readonly unchanged: readonly string[];
  /** The copy of the previous file, when one existed and was replaced. */
  readonly backup: string | null;
  readonly dryRun: boolean;
  /** --store: the fallback and the logins moved into it. */
  readonly migration?: StoreMigrationReport;
  /** --store with registries: their keys in the helper's config file, for `list`. */
  readonly named?: NamedRegistries;
}

/** The docker config file: `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`. */
export function dockerConfigFile(env: Env): string {
  const dir = nonEmpty(env['DOCKER_CONFIG']);
  if (dir) return join(dir, 'config.json');
  const home = nonEmpty(env['HOME']);
  // main.ts sets HOME to NO_HOME for a user without a home folder (for the AWS SDK's sake).
  if (!home || home === NO_HOME) {
    throw new HelperError(
      'CONFIG',
      'neither DOCKER_CONFIG nor HOME is set: cannot find the docker config',
    );
  }
  return join(home, '.docker', 'config.json');
}

/** Applies the request to the docker config file and reports what changed. */
export async function configure(options: ConfigureOptions): Promise<ConfigureReport> {
  const file = dockerConfigFile(options.env);
  const progress = options.progress ?? { step: '' };
  if (options.registries.length === 0 && !options.store) {
    throw new HelperError(
      'USAGE',
      'configure needs at least one ECR registry (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com) or --store',
    );
  }
  progress.step = `reading ${file}`;
  if (options.dryRun) {
    const before = decode(readConfig(file), file);
    const { plan, migration } = await planWithMigration(before, options, file);
    return withNamedRegistries(options, {
      file,
      changes: plan.changes,
      unchanged: plan.unchanged,
      backup: null,
      dryRun: true,
      ...(migration ? { migration } : {}),
    });
  }
  progress.step = `creating the folder of ${file}`;
  try {
    // Docker's folder is used as it is (it may be another user's when root edits it); a missing
    // one is made with the bounded mkdir: Node's recursive one spins forever under /proc.
    if (!isFolder(dirname(file))) makeDirSync(dirname(file));
  } catch (error) {
    if (error instanceof UnsafeFolderError) {
      throw new HelperError('CONFIG', `cannot create the folder of ${file}: ${error.message}`);
    }
    throw fsError('create the folder of', file, error);
  }
  // Two configure runs at once (provisioning scripts) must both land: read-modify-write under
  // the lock beside the file (src/fs/lock.ts), which recovers a lock its holder left behind.
  progress.step = `waiting for the lock ${file}.lock (another configure run)`;
  const release = await lockConfig(file);
  try {
    progress.step = `updating ${file}`;
    return withNamedRegistries(options, await update(file, options));
  } finally {
    await release().catch(() => undefined);
  }
}

/** --store with registries (validated by then): names them in the helper's config file too. */
function withNamedRegistries(options: ConfigureOptions, report: ConfigureReport): ConfigureReport {
  if (!options.store || options.registries.length === 0) return report;
  const named = nameRegistries({
    registries: options.registries,
    env: options.env,
    home: options.home === undefined ? (nonEmpty(options.env['HOME']) ?? null) : options.home,
    dryRun: options.dryRun,
  });
  return { ...report, named };
}

/** A lock is abandoned once its holder has not refreshed it for this long. */
const LOCK_STALE_MS = 10_000;
/** Tries at the lock, the pauses growing from 20 to 100 ms: about 6 s in all. */
const LOCK_TRIES = 61;

/** Takes the lock beside `file`, waiting while another configure run holds it. */
async function lockConfig(file: string): Promise<() => Promise<void>> {
  const polled = await poll({
    attempts: LOCK_TRIES,
    attempt: async () => {
      const attempt = await tryLock({
        file,
        staleMs: LOCK_STALE_MS,
        // Losing the lock costs nothing: the write itself checks that the file did not change.
        onCompromised: () => undefined,
        ensureDir: () => undefined, // made above
      });
      return attempt.state === 'busy' ? undefined : attempt;
    },
    pause: (round) => Math.min(100, 20 * 2 ** round * (1 + Math.random())),
  });
  if (!('value' in polled)) throw fsError('lock', file, { code: 'ELOCKED' });
  if (polled.value.state === 'unavailable') {
    throw fsError('lock', file, { code: polled.value.reason });
  }
  return polled.value.release;
}

/**
 * How long a write is redone while another program keeps changing the file: seen just before our
 * rename (we retry from its new content), or our entries gone just after it (it wrote what it had
 * read before our rename). The time from our read to that last look includes two fsyncs, so a
 * program writing every few milliseconds is waited out rather than raced.
 */
const RETRY_FOR_MS = 4000;
/** How long after our rename the file is looked at again for a lost change. */
const SETTLE_MS = 30;

/** Read, plan, write if still unchanged, check it stayed: retried while others write. */
async function update(file: string, options: ConfigureOptions): Promise<ConfigureReport> {
  const target = resolveLink(file);
  const first = readConfig(target);
  // A read-only file is refused before --store moves any login out of it.
  if (options.store || planConfigure(decode(first, file), options, file).text !== null) {
    refuseReadOnly(first, file);
  }
  // --store: logins move into the fallback (and are read back) once, before config.json changes.
  const { migration, removals } = await planWithMigration(decode(first, file), options, file);
  const report = (plan: ConfigurePlan, backup: string | null): ConfigureReport => ({
    file,
    changes: plan.changes,
    unchanged: plan.unchanged,
    backup,
    dryRun: false,
    ...(migration ? { migration } : {}),
  });
  let backup: string | null = null;
  let written: ConfigurePlan | null = null;
  const giveUpAt = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const before = readConfig(target);
    const plan = planEdits(decode(before, file), options, file, removals);
    // Nothing (more) to do: report what our write changed, if it was ours that set it.
    if (plan.text === null) return report(written ?? plan, backup);
    if (Date.now() > giveUpAt) {
      throw new HelperError(
        'CONFIG',
        `${file} kept changing while configure wrote it (another program is writing it); run configure again when it is done`,
      );
    }
    refuseReadOnly(before, file);
    const stats = before?.stats;
    let outcome: ReplaceOutcome;
    try {
      outcome = replaceIfUnchanged({
        file: target,
        expected: before,
        text: plan.text,
        mode: stats ? Number(stats.mode & 0o777n) : 0o600,
        ...(stats ? { owner: { uid: Number(stats.uid), gid: Number(stats.gid) } } : {}),
        backupNames: backup === null ? backupNames(file, options.now()) : [],
      });
    } catch (error) {
      const step = (error as { step?: string }).step ?? 'write';
      throw fsError(step, file, error);
    }
    if (!outcome.replaced) continue;
    backup ??= outcome.backup;
    written = plan;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
}

/**
 * The plan for the docker config text and, for --store, the migration (carried out unless a dry
 * run): an earlier credsStore becomes the fallback, plaintext `auths` leave the file.
 */
async function planWithMigration(
  before: string,
  options: ConfigureOptions,
  file: string,
): Promise<{ plan: ConfigurePlan; migration?: StoreMigrationReport; removals: readonly string[] }> {
  const plain = planConfigure(before, options, file); // validates the file first
  if (!options.store || before.trim() === '') return { plan: plain, removals: [] };
  const migrationPlan = planStoreMigration(JSON.parse(before) as Record<string, unknown>);
  const migration = await migrateStore({
    plan: migrationPlan,
    dockerConfigFile: file,
    env: options.env,
    home: options.home === undefined ? (nonEmpty(options.env['HOME']) ?? null) : options.home,
    dryRun: options.dryRun,
    openStore:
      options.openStore ??
      (() => {
        throw new HelperError('INTERNAL', 'internal error: configure --store without stores');
      }),
    stamp: backupStamp(options.now()),
  });
  const { removals } = migrationPlan;
  return { plan: planEdits(before, options, file, removals), migration, removals };
}

/** The config text with the migrated `auths` entries removed and the entries set; null: as is. */
function planEdits(
  text: string,
  options: ConfigureOptions,
  file: string,
  removals: readonly string[],
): ConfigurePlan {
  if (removals.length === 0) return planConfigure(text, options, file);
  const stripped = removeAuths(text, removals);
  const plan = planConfigure(stripped, options, file);
  return { ...plan, text: plan.text ?? (stripped === text ? null : stripped) };
}

/** The report as the lines a person reads in a terminal. */
export function formatConfigureReport(report: ConfigureReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would set' : 'set';
  for (const change of report.changes) {
    const from = change.before === undefined ? '' : ` (was ${quote(change.before)})`;
    lines.push(`${verb} ${change.key} = ${quote(change.after)}${from}`);
  }
  for (const key of report.unchanged) lines.push(`already set: ${key}`);
  lines.push(...migrationLines(report));
  if (report.named) lines.push(...namedRegistriesLines(report.named, report.dryRun));
  if (
    report.changes.length === 0 &&
    !report.migration?.moved.length &&
    !report.migration?.droppedEcr.length
  ) {
    lines.push(`${report.file} already up to date, not rewritten`);
  } else if (report.dryRun) lines.push(`dry run: ${report.file} not written`);
  else {
    const backup = report.backup ? ` (previous file saved as ${report.backup})` : '';
    lines.push(`wrote ${report.file}${backup}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What --store's migration did or would do, one line each; user names and hosts, no secret. */
function migrationLines(report: ConfigureReport): string[] {
  const migration = report.migration;
  if (!migration) return [];
  const would = report.dryRun ? 'would ' : '';
  const lines: string[] = [];
  if (migration.fallbackWritten) {
    lines.push(
      `${would}set fallback = ${quote(migration.fallback)} in ${migration.configFile} (the previous credsStore, so earlier logins keep working)`,
    );
  }
  const target =
    migration.fallback === 'file' ? 'the file store' : `docker-credential-${migration.fallback}`;
  for (const { serverUrl, username } of migration.moved) {
    lines.push(
      `${would}move the login for ${quoteServerUrl(serverUrl)} (user ${quote(username)}) from auths into ${target}`,
    );
  }
  for (const host of migration.droppedEcr) {
    lines.push(
      `${would}drop the saved ECR token for ${quote(host)} from auths (minted on demand now)`,
    );
  }
  for (const { key, why } of migration.kept) {
    lines.push(`left auths[${quoteServerUrl(key)}] in place: ${why}`);
  }
  if (migration.configBackup)
    lines.push(`previous ${migration.configFile} saved as ${migration.configBackup}`);
  return lines;
}

function readConfig(file: string): FileVersion | null {
  try {
    return readVersion(file);
  } catch (error) {
    throw fsError('read', file, error);
  }
}

/** The text of the file; refuses bytes that are not UTF-8, which an edit would not keep. */
function decode(version: FileVersion | null, file: string): string {
  if (version === null) return '';
  const { bytes } = version;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new HelperError(
      'CONFIG',
      `${file} is not valid UTF-8; fix it by hand, configure left it untouched`,
    );
  }
}

/**
 * A config.json without its owner's write bit (0444) says "do not change me": a rename would
 * replace it all the same (as docker's own save would), so it is refused instead.
 */
function refuseReadOnly(version: FileVersion | null, file: string): void {
  const mode = version?.stats.mode;
  if (mode === undefined || (mode & 0o200n) !== 0n) return;
  throw new HelperError(
    'CONFIG',
    `${file} is read-only (mode ${(mode & 0o777n).toString(8).padStart(4, '0')}); configure left it untouched: make it writable (chmod u+w) to let configure change it`,
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The file a symlinked config points to: it is replaced there, and the link stays. */
function resolveLink(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** Backup names no earlier backup used: `config.json.<UTC stamp>[-n].bak`. */
function backupNames(file: string, now: Date): string[] {
  const stamp = backupStamp(now);
  return Array.from({ length: 100 }, (_, n) => `${file}.${stamp}${n === 0 ? '' : `-${n}`}.bak`);
}

/** A backup's time stamp: 20261129T010203Z. */
function backupStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function fsError(what: string, file: string, error: unknown): HelperError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new HelperError('CONFIG', `cannot ${what} ${file} (${code})`, { cause: error });
}
