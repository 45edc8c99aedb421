/**
 * `configure`: routes ECR registries (credHelpers) or every registry (credsStore) to the helper in
 * the docker config. Locked against concurrent runs, written atomically after a backup, and a
 * no-op when the file already says what we want.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { lock } from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { nonEmpty, type Env } from '../env';
import { NO_HOME } from '../config/resolve-home';
import { HelperError } from '../errors';
import type { OpenStore } from '../stores/credential-store';
import { migrateStore, type StoreMigrationReport } from './migrate-store';
import { planConfigure, type ConfigureChange, type ConfigureRequest } from './plan-configure';
import { planStoreMigration, removeAuths } from './plan-store-migration';

/** Inputs of one `configure` run; env and clock are passed in, never read from `process`. */
export interface ConfigureOptions extends ConfigureRequest {
  readonly dryRun: boolean;
  readonly env: Env;
  readonly now: () => Date;
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
  if (options.registries.length === 0 && !options.store) {
    throw new HelperError(
      'USAGE',
      'configure needs at least one ECR registry (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com) or --store',
    );
  }
  if (options.dryRun) {
    const before = (await readText(file)) ?? '';
    const { plan, migration } = await planWithMigration(before, options, file);
    return {
      file,
      changes: plan.changes,
      unchanged: plan.unchanged,
      backup: null,
      dryRun: true,
      ...(migration ? { migration } : {}),
    };
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw fsError('create the folder of', file, error);
  });
  // Two configure runs at once (provisioning scripts) must both land: read-modify-write under a
  // lock. proper-lockfile's mkdir lock works on every file system and recovers a stale lock.
  const release = await lock(file, {
    realpath: false,
    lockfilePath: `${file}.lock`,
    stale: 10_000,
    retries: { retries: 60, minTimeout: 20, maxTimeout: 100, randomize: true },
  }).catch((error: unknown) => {
    throw fsError('lock', file, error);
  });
  try {
    const before = await readText(file);
    // --store: logins move into the fallback (and are read back) before config.json changes.
    const { plan, migration } = await planWithMigration(before ?? '', options, file);
    let backup: string | null = null;
    if (plan.text !== null) {
      if (before !== null) backup = await backupOf(file, options.now());
      await writeFileAtomic(file, plan.text, before === null ? { mode: 0o600 } : {}).catch(
        (error: unknown) => {
          throw fsError('write', file, error);
        },
      );
    }
    return {
      file,
      changes: plan.changes,
      unchanged: plan.unchanged,
      backup,
      dryRun: false,
      ...(migration ? { migration } : {}),
    };
  } finally {
    await release().catch(() => undefined);
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
): Promise<{
  plan: { changes: readonly ConfigureChange[]; unchanged: readonly string[]; text: string | null };
  migration?: StoreMigrationReport;
}> {
  const plain = planConfigure(before, options, file); // validates the file first
  if (!options.store || before.trim() === '') return { plan: plain };
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
  if (migrationPlan.removals.length === 0) return { plan: plain, migration };
  const text = removeAuths(before, migrationPlan.removals);
  const plan = planConfigure(text, options, file);
  return {
    plan: { ...plan, text: plan.text ?? text },
    migration,
  };
}

/** The report as the lines a person reads in a terminal. */
export function formatConfigureReport(report: ConfigureReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would set' : 'set';
  for (const change of report.changes) {
    const from = change.before === undefined ? '' : ` (was ${JSON.stringify(change.before)})`;
    lines.push(`${verb} ${change.key} = ${JSON.stringify(change.after)}${from}`);
  }
  for (const key of report.unchanged) lines.push(`already set: ${key}`);
  lines.push(...migrationLines(report));
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
      `${would}set fallback = ${JSON.stringify(migration.fallback)} in ${migration.configFile} (the previous credsStore, so earlier logins keep working)`,
    );
  }
  const target =
    migration.fallback === 'file' ? 'the file store' : `docker-credential-${migration.fallback}`;
  for (const { serverUrl, username } of migration.moved) {
    lines.push(
      `${would}move the login for ${JSON.stringify(serverUrl)} (user ${JSON.stringify(username)}) from auths into ${target}`,
    );
  }
  for (const host of migration.droppedEcr) {
    lines.push(
      `${would}drop the saved ECR token for ${JSON.stringify(host)} from auths (minted on demand now)`,
    );
  }
  for (const { key, why } of migration.kept) {
    lines.push(`left auths[${JSON.stringify(key)}] in place: ${why}`);
  }
  if (migration.configBackup)
    lines.push(`previous ${migration.configFile} saved as ${migration.configBackup}`);
  return lines;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fsError('read', file, error);
  }
}

/** A backup's time stamp: 20261129T010203Z. */
function backupStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Copies the current file aside under a name no earlier backup used. */
async function backupOf(file: string, now: Date): Promise<string> {
  const stamp = backupStamp(now);
  for (let n = 0; ; n += 1) {
    const backup = `${file}.${stamp}${n === 0 ? '' : `-${n}`}.bak`;
    try {
      await copyFile(file, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) {
        throw fsError('back up', file, error);
      }
    }
  }
}

function fsError(what: string, file: string, error: unknown): HelperError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new HelperError('CONFIG', `cannot ${what} ${file} (${code})`, { cause: error });
}
