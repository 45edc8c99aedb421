/**
 * `configure`: routes ECR registries (credHelpers) or every registry (credsStore) to the helper in
 * the docker config. Locked against concurrent runs, written atomically after a backup, checked
 * against other programs' writes just before and after the rename, and a no-op when the file
 * already says what we want (edit-config-file.ts). With --store, plaintext logins move into the
 * fallback first (migrate-store.ts) and what moved is recorded for --unstore (store-record.ts).
 */
import type { Progress } from '../call-context';
import { nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';
import { processOwner } from '../fs/owner';
import { quote } from '../quote';
import type { OpenStore } from '../stores/credential-store';
import { prunedLine } from './config-backups';
import { dockerConfigFile } from './docker-config-file';
import { nameRegistries, namedRegistriesLines, type NamedRegistries } from './name-registries';
import {
  decode,
  editUntilStable,
  foreignOwner,
  readConfig,
  refuseReadOnly,
  resolveLink,
  withLockedConfig,
} from './edit-config-file';
import { backupsHolding, startStoreMigration, type StoreMigration } from './migrate-store';
import {
  HELPER_SUFFIX,
  planConfigure,
  type ConfigureChange,
  type ConfigurePlan,
  type ConfigureRequest,
} from './plan-configure';
import { planStoreMigration, removeAuths, type StoreMigrationPlan } from './plan-store-migration';
import { migrationLines, type StoreMigrationReport } from './store-migration-report';
import { readStoreRecord, writeStoreRecord, type StoreRecord } from './store-record';

/**
 * Inputs of one `configure` run; env and clock are passed in, never read from `process`.
 * (`--remove` is remove.ts's, `--unstore` unstore.ts's.)
 */
export interface ConfigureOptions extends Omit<ConfigureRequest, 'remove'> {
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
interface ConfigureReport {
  readonly file: string;
  readonly changes: readonly ConfigureChange[];
  readonly unchanged: readonly string[];
  /** The copy of the previous file, when one existed and was replaced. */
  readonly backup: string | null;
  readonly dryRun: boolean;
  /** Older backups removed (the newest few are kept). */
  readonly prunedBackups?: readonly string[];
  /** --store: the fallback and the logins moved into it. */
  readonly migration?: StoreMigrationReport;
  /** --store with registries: their keys in the helper's config file, for `list`. */
  readonly named?: NamedRegistries;
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
  if (options.dryRun) return withNamedRegistries(options, await dryRun(file, options));
  return withLockedConfig(file, progress, async () => {
    progress.step = `updating ${file}`;
    return withNamedRegistries(options, await update(file, options));
  });
}

/** --store with registries (validated by then): names them in the helper's config file too. */
function withNamedRegistries(options: ConfigureOptions, report: ConfigureReport): ConfigureReport {
  if (!options.store || options.registries.length === 0) return report;
  const named = nameRegistries({
    registries: options.registries,
    env: options.env,
    home: options.home === undefined ? (nonEmpty(options.env['HOME']) ?? null) : options.home,
    dryRun: options.dryRun,
    now: options.now,
  });
  return { ...report, named };
}
/** What a run would do: the plan and, for --store, the migration's, with nothing written. */
async function dryRun(file: string, options: ConfigureOptions): Promise<ConfigureReport> {
  const text = decode(readConfig(resolveLink(file)), file);
  const plan = planConfigure(text, options, file); // validates the file first
  if (!options.store || text.trim() === '') {
    return { file, changes: plan.changes, unchanged: plan.unchanged, backup: null, dryRun: true };
  }
  const migrationPlan = planStoreMigration(JSON.parse(text) as Record<string, unknown>, file);
  const migration = startMigration(file, migrationPlan, options);
  const edits = planEdits(text, options, file, migrationPlan.removals);
  return {
    file,
    changes: edits.changes,
    unchanged: edits.unchanged,
    backup: null,
    dryRun: true,
    migration: migrationReport(migration, migrationPlan, []),
  };
}

/** Plans, migrates (--store) and writes, under the lock. */
async function update(file: string, options: ConfigureOptions): Promise<ConfigureReport> {
  const first = readConfig(resolveLink(file));
  const firstText = decode(first, file);
  // Validates the file; a read-only file is refused before --store moves any login out of it.
  const firstPlan = planConfigure(firstText, options, file);
  if (options.store || firstPlan.text !== null) refuseReadOnly(first, file);
  const storePlan = (text: string): StoreMigrationPlan | null => {
    if (!options.store || text.trim() === '') return null;
    // Validated first: JSON.parse's own message may quote the text (a base64 `auth` value).
    planConfigure(text, options, file);
    return planStoreMigration(JSON.parse(text) as Record<string, unknown>, file);
  };
  // Started from the first text that has logins or a credsStore to plan from (usually the first).
  let migration: StoreMigration | null = null;
  let previousStore: string | undefined;
  const owner = first ? { uid: Number(first.stats.uid), gid: Number(first.stats.gid) } : undefined;
  let recordProblem: string | null = null;
  const edited = await editUntilStable({
    file,
    now: options.now,
    round: async (text) => {
      const plan = storePlan(text);
      if (plan) {
        if (migration === null) {
          migration = startMigration(file, plan, options);
          previousStore = plan.previousStore;
        } else if (!isOurs(text) && plan.previousStore !== previousStore) {
          // Our own write makes credsStore ours; any other change to it is another program's.
          throw new HelperError(
            'CONFIG',
            `credsStore in ${file} changed while configure ran; run configure --store again`,
          );
        }
        await migration.move(plan.logins);
      }
      const edits = planEdits(text, options, file, plan?.removals ?? []);
      return {
        text: edits.text,
        // The backup keeps no password that now lives in the fallback, nor saved ECR tokens.
        ...(plan
          ? { backupText: removeAuths(text, [...movedKeys(plan), ...plan.droppedEcr]) }
          : {}),
        result: { edits, plan, storeWasOurs: isOurs(text) },
      };
    },
    landed: ({ plan, storeWasOurs }) => {
      if (plan && migration) {
        recordProblem = recordMigration(file, plan, migration, storeWasOurs, owner);
      }
    },
  });
  const { edits, plan } = edited.result;
  const started = migration as StoreMigration | null; // set inside the rounds
  return {
    file,
    changes: edits.changes,
    unchanged: edits.unchanged,
    backup: edited.backup,
    dryRun: false,
    prunedBackups: edited.prunedBackups,
    ...(plan && started
      ? {
          migration: {
            ...migrationReport(
              started,
              plan,
              edited.wrote ? backupsHolding(file, plan.logins) : [],
            ),
            recordProblem,
          },
        }
      : {}),
  };
}

/**
 * Chooses the fallback for `plan` (written into the helper's config file unless a dry run);
 * refuses to move another user's logins into this user's stores.
 */
function startMigration(
  file: string,
  plan: StoreMigrationPlan,
  options: ConfigureOptions,
): StoreMigration {
  const foreign = foreignOwner(file);
  if (foreign !== undefined && (plan.logins.length > 0 || plan.previousStore !== undefined)) {
    const euid = processOwner().euid ?? 'unknown';
    throw new HelperError(
      'CONFIG',
      `${file} belongs to uid ${foreign}, not to this user (uid ${euid}): configure --store would move its logins into this user's store and config file; run it as that user (e.g. sudo -u '#${foreign}' docker-credential-ecr-ts configure --store), nothing was changed`,
    );
  }
  return startStoreMigration({
    previousStore: plan.previousStore,
    loginCount: plan.logins.length,
    dockerConfigFile: file,
    env: options.env,
    home: options.home === undefined ? (nonEmpty(options.env['HOME']) ?? null) : options.home,
    dryRun: options.dryRun,
    openStore:
      options.openStore ??
      (() => {
        throw new HelperError('INTERNAL', 'internal error: configure --store without stores');
      }),
    now: options.now,
  });
}

/** Every `auths` key whose login now lives in the fallback. */
function movedKeys(plan: StoreMigrationPlan): string[] {
  return plan.logins.flatMap((login) => login.keys);
}

function isOurs(text: string): boolean {
  if (text.trim() === '') return false;
  return (JSON.parse(text) as Record<string, unknown>)['credsStore'] === HELPER_SUFFIX;
}

/**
 * Notes what moved for --unstore: a new record when this write made the helper the credsStore,
 * else added to the one there (a later run moving plaintext logins someone added meanwhile).
 */
function recordMigration(
  file: string,
  plan: StoreMigrationPlan,
  migration: StoreMigration,
  storeWasOurs: boolean,
  owner: { uid: number; gid: number } | undefined,
): string | null {
  const moved = plan.logins.map(({ serverUrl, keys, username }) => ({ serverUrl, keys, username }));
  let earlier: StoreRecord | null = null;
  if (storeWasOurs) {
    try {
      earlier = readStoreRecord(file, owner?.uid);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    if (earlier === null) return null; // credsStore set by hand: nothing known to add to
  }
  const kept = (earlier?.moved ?? []).filter(
    (old) => !moved.some((login) => login.serverUrl === old.serverUrl),
  );
  return writeStoreRecord(
    file,
    {
      previousCredsStore: earlier ? earlier.previousCredsStore : (plan.previousStore ?? null),
      fallback: migration.fallback,
      moved: [...kept, ...moved],
    },
    owner,
  );
}

/** The migration's part of the report, from the plan of the last round. */
function migrationReport(
  migration: StoreMigration,
  plan: StoreMigrationPlan,
  plaintextBackups: readonly { path: string; count: number }[],
): StoreMigrationReport {
  return {
    configFile: migration.configFile,
    fallback: migration.fallback,
    fallbackWritten: migration.fallbackWritten,
    configBackup: migration.configBackup,
    moved: plan.logins.map(({ serverUrl, username, keys }) => ({ serverUrl, username, keys })),
    droppedEcr: plan.droppedEcr,
    dropped: plan.dropped,
    kept: plan.kept,
    changed: migration.changed,
    vanished: [...migration.stored.keys()].filter(
      (serverUrl) => !plan.logins.some((login) => login.serverUrl === serverUrl),
    ),
    plaintextBackups,
    recordProblem: null,
  };
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
  const would = report.dryRun ? 'would ' : '';
  for (const { key, before, after } of report.changes) {
    const from = before === undefined ? '' : ` (was ${quote(before)})`;
    lines.push(`${would}set ${key} = ${quote(after ?? '')}${from}`);
  }
  for (const key of report.unchanged) lines.push(`already set: ${key}`);
  const migration = report.migration;
  if (migration) lines.push(...migrationLines(migration, report.dryRun, report.backup));
  if (report.named) lines.push(...namedRegistriesLines(report.named, report.dryRun));
  if (
    report.changes.length === 0 &&
    !migration?.moved.length &&
    !migration?.droppedEcr.length &&
    !migration?.dropped.length
  ) {
    lines.push(`${report.file} already up to date, not rewritten`);
  } else if (report.dryRun) lines.push(`dry run: ${report.file} not written`);
  else {
    const backup = report.backup ? ` (previous file saved as ${report.backup})` : '';
    lines.push(`wrote ${report.file}${backup}`);
  }
  lines.push(...prunedLine(report.file, report.prunedBackups ?? []));
  if (migration) {
    for (const { path, count } of migration.plaintextBackups) {
      lines.push(
        `${path} (an earlier backup) still holds ${count} of the moved passwords in plain text: delete it once docker works (rm '${path}')`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
