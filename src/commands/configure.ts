/**
 * `configure`: routes ECR registries (credHelpers) or every registry (credsStore) to the helper in
 * the docker config. Locked against concurrent runs, written atomically after a backup, checked
 * against other programs' writes just before and after the rename, and a no-op when the file
 * already says what we want.
 */
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lock } from 'proper-lockfile';
import type { Progress } from '../call-context';
import { makeDirSync } from '../cache/make-dir';
import { nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';
import { quote } from '../quote';
import {
  planConfigure,
  type ConfigureChange,
  type ConfigurePlan,
  type ConfigureRequest,
} from './plan-configure';
import {
  readVersion,
  replaceIfUnchanged,
  type FileVersion,
  type ReplaceOutcome,
} from './replace-file';

/** Inputs of one `configure` run; env and clock are passed in, never read from `process`. */
export interface ConfigureOptions extends ConfigureRequest {
  readonly dryRun: boolean;
  readonly env: Env;
  readonly now: () => Date;
  /** Where a timeout reads what configure was doing. */
  readonly progress?: Progress;
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
  if (!home) {
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
    const plan = planConfigure(decode(readConfig(file), file), options, file);
    return { file, changes: plan.changes, unchanged: plan.unchanged, backup: null, dryRun: true };
  }
  progress.step = `creating the folder of ${file}`;
  try {
    // Bounded: Node's recursive mkdir spins forever under /proc (DOCKER_CONFIG=/proc/self/x).
    makeDirSync(dirname(file), 0o700);
  } catch (error) {
    throw fsError('create the folder of', file, error);
  }
  // Two configure runs at once (provisioning scripts) must both land: read-modify-write under a
  // lock. proper-lockfile's mkdir lock works on every file system and recovers a stale lock.
  progress.step = `waiting for the lock ${file}.lock (another configure run)`;
  const release = await lock(file, {
    realpath: false,
    lockfilePath: `${file}.lock`,
    stale: 10_000,
    retries: { retries: 60, minTimeout: 20, maxTimeout: 100, randomize: true },
  }).catch((error: unknown) => {
    throw fsError('lock', file, error);
  });
  try {
    progress.step = `updating ${file}`;
    return await update(file, options);
  } finally {
    await release().catch(() => undefined);
  }
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
  let backup: string | null = null;
  let written: ConfigurePlan | null = null;
  const giveUpAt = Date.now() + RETRY_FOR_MS;
  for (;;) {
    const before = readConfig(target);
    const plan = planConfigure(decode(before, file), options, file);
    if (plan.text === null) {
      // Nothing (more) to do: report what our write changed, if it was ours that set it.
      const done = written ?? plan;
      return { file, changes: done.changes, unchanged: done.unchanged, backup, dryRun: false };
    }
    if (Date.now() > giveUpAt) {
      throw new HelperError(
        'CONFIG',
        `${file} kept changing while configure wrote it (another program is writing it); run configure again when it is done`,
      );
    }
    const stats = before?.stats;
    if (stats && (stats.mode & 0o200n) === 0n) {
      const mode = (stats.mode & 0o777n).toString(8).padStart(4, '0');
      throw new HelperError(
        'CONFIG',
        `${file} is read-only (mode ${mode}); configure left it untouched: make it writable (chmod u+w) to let configure change it`,
      );
    }
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

/** The report as the lines a person reads in a terminal. */
export function formatConfigureReport(report: ConfigureReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would set' : 'set';
  for (const change of report.changes) {
    const from = change.before === undefined ? '' : ` (was ${quote(change.before)})`;
    lines.push(`${verb} ${change.key} = ${quote(change.after)}${from}`);
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
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return Array.from({ length: 100 }, (_, n) => `${file}.${stamp}${n === 0 ? '' : `-${n}`}.bak`);
}

function fsError(what: string, file: string, error: unknown): HelperError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new HelperError('CONFIG', `cannot ${what} ${file} (${code})`, { cause: error });
}
