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
import { planConfigure, type ConfigureChange, type ConfigureRequest } from './plan-configure';

/** Inputs of one `configure` run; env and clock are passed in, never read from `process`. */
export interface ConfigureOptions extends ConfigureRequest {
  readonly dryRun: boolean;
  readonly env: Env;
  readonly now: () => Date;
}

/** What `configure` did (or, with dryRun, would do). */
export interface ConfigureReport {
  readonly file: string;
  readonly changes: readonly ConfigureChange[];
  readonly unchanged: readonly string[];
  /** The copy of the previous file, when one existed and was replaced. */
  readonly backup: string | null;
  readonly dryRun: boolean;
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
    const plan = planConfigure((await readText(file)) ?? '', options, file);
    return { file, changes: plan.changes, unchanged: plan.unchanged, backup: null, dryRun: true };
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
    const plan = planConfigure(before ?? '', options, file);
    let backup: string | null = null;
    if (plan.text !== null) {
      if (before !== null) backup = await backupOf(file, options.now());
      await writeFileAtomic(file, plan.text, before === null ? { mode: 0o600 } : {}).catch(
        (error: unknown) => {
          throw fsError('write', file, error);
        },
      );
    }
    return { file, changes: plan.changes, unchanged: plan.unchanged, backup, dryRun: false };
  } finally {
    await release().catch(() => undefined);
  }
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
  if (report.changes.length === 0) lines.push(`${report.file} already up to date, not rewritten`);
  else if (report.dryRun) lines.push(`dry run: ${report.file} not written`);
  else {
    const backup = report.backup ? ` (previous file saved as ${report.backup})` : '';
    lines.push(`wrote ${report.file}${backup}`);
  }
  return `${lines.join('\n')}\n`;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fsError('read', file, error);
  }
}

/** Copies the current file aside under a name no earlier backup used. */
async function backupOf(file: string, now: Date): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
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
