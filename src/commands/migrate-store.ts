/**
 * The I/O of `configure --store`'s migration, in the order that loses nothing if any step fails:
 * the fallback is written into the helper's config file first, each plaintext login is then
 * stored into the fallback and read back, and only after all of that does the caller rewrite
 * config.json (after a backup). A failure stops before config.json changes; a login already
 * copied is merely in two places.
 */
import { copyFileSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { configFilePath } from '../config/config-file-path';
import type { Env } from '../env';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { quoteServerUrl } from '../quote';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../fs/read-regular-file';
import { makeDirSync } from '../fs/make-dir';
import { writePrivateFile } from '../fs/private-file';
import { storeNameOf } from '../routing/routes';
import type { OpenStore } from '../stores/credential-store';
import { chooseFallback, withFallback, type StoreMigrationPlan } from './plan-store-migration';

/** What the migration did (or, in a dry run, would do); never a secret. */
export interface StoreMigrationReport {
  readonly configFile: string;
  readonly fallback: string;
  /** True when the helper's config file gets `fallback` (an earlier credsStore). */
  readonly fallbackWritten: boolean;
  /** The config file's copy before it changed. */
  readonly configBackup: string | null;
  readonly moved: readonly { readonly serverUrl: string; readonly username: string }[];
  readonly droppedEcr: readonly string[];
  readonly kept: readonly { readonly key: string; readonly why: string }[];
}

/** Carries out `plan`: fallback first, then every login into it, verified by reading it back. */
export async function migrateStore(options: {
  plan: StoreMigrationPlan;
  dockerConfigFile: string;
  env: Env;
  home: string | null;
  dryRun: boolean;
  openStore: OpenStore;
  stamp: string;
}): Promise<StoreMigrationReport> {
  const { plan } = options;
  const configFile = configFilePath(options.env, options.home).path;
  if (configFile === null) {
    throw new HelperError(
      'CONFIG',
      'configure --store needs a home folder, XDG_CONFIG_HOME or ECR_TS_CONFIG for the helper config file',
    );
  }
  const configText = readOrNull(configFile);
  const choice = chooseFallback({
    previousStore: plan.previousStore,
    configured: configuredFallback(configText, configFile),
    configFile,
    dockerConfigFile: options.dockerConfigFile,
  });
  if (choice.fallback === 'none' && plan.logins.length > 0) {
    throw new HelperError(
      'CONFIG',
      `${options.dockerConfigFile} holds ${plan.logins.length} login(s) under "auths", but ${configFile} sets fallback "none": set a fallback that can keep them ("file", "pass", ...) and run configure --store again; nothing was changed`,
    );
  }
  const report = {
    configFile,
    fallback: choice.fallback,
    fallbackWritten: choice.write,
    configBackup: null as string | null,
    moved: plan.logins.map(({ serverUrl, username }) => ({ serverUrl, username })),
    droppedEcr: plan.droppedEcr,
    kept: plan.kept,
  };
  if (options.dryRun) return report;

  if (choice.write) {
    makeDirSync(dirname(configFile));
    if (configText !== null) report.configBackup = backup(configFile, options.stamp);
    try {
      writePrivateFile(configFile, withFallback(configText, choice.fallback), { durable: true });
    } catch (error) {
      throw new HelperError('STORE', `cannot write ${configFile} (${errorCode(error)})`, {
        cause: error,
      });
    }
  }
  if (plan.logins.length === 0) return report;
  const store = options.openStore(storeNameOf(choice.fallback));
  for (const login of plan.logins) {
    await store.store(login);
    let back;
    try {
      back = await store.get(login.serverUrl);
    } catch (error) {
      throw unverified(login.serverUrl, store.label, error instanceof Error ? error.message : '');
    }
    if (back.username !== login.username || back.secret !== login.secret) {
      throw unverified(login.serverUrl, store.label, 'it answered another login');
    }
  }
  return report;
}

function unverified(serverUrl: string, label: string, why: string): HelperError {
  return new HelperError(
    'STORE',
    `moving the login for ${quoteServerUrl(serverUrl)} into ${label} could not be verified (${why}); config.json was not changed`,
  );
}

/** The `fallback` the helper's config file names, if any (the routes parser validates the rest). */
function configuredFallback(text: string | null, file: string): string | undefined {
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

function readOrNull(file: string): string | null {
  try {
    return readRegularFile(file, MAX_SETTINGS_BYTES).bytes.toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw new HelperError('CONFIG', `cannot read ${file} (${errorCode(error)})`);
  }
}

function backup(file: string, stamp: string): string {
  for (let n = 0; n < 100; n += 1) {
    const name = `${file}.${stamp}${n === 0 ? '' : `-${n}`}.bak`;
    try {
      copyFileSync(file, name, constants.COPYFILE_EXCL);
      return name;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new HelperError('CONFIG', `cannot back up ${file} (${errorCode(error)})`);
      }
    }
  }
  throw new HelperError('CONFIG', `cannot back up ${file}: too many backups with this time stamp`);
}
