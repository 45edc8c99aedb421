/**
 * A clean environment for every helper process a test starts: no inherited AWS_* variable, IMDS
 * disabled, HOME and caches in a temp folder, so nothing can reach a real AWS endpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deferCleanup, underJest } from './cleanup';

/**
 * Makes a fresh temp folder, removed after the test that made it (or, made in a beforeAll, after
 * its file). Outside jest (bench scripts) the caller removes it.
 */
export function tempDir(prefix = 'ecr-ts-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (underJest()) deferCleanup(() => removeDir(dir));
  return dir;
}

function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // e.g. a read-only folder when not running as root: leave it.
  }
}

/**
 * The environment for a helper process: PATH and locale from this process, nothing AWS-related,
 * IMDS off, and HOME/XDG_CACHE_HOME in `home`. `extra` adds or overrides variables. Under jest,
 * this process's PATH is already the one global-setup.cjs made: system folders and node's, none
 * of the user's, no installed docker-credential-ecr-ts.
 */
export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    // Belt and braces: any endpoint the test forgot to fake resolves nowhere.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

/** Removes inherited AWS_* variables from this (the jest worker's) process too. */
export function scrubProcessEnv(): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('AWS_')) Reflect.deleteProperty(process.env, name);
  }
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
}

/** The environment variables that hand the helper these keys (AWS_ACCESS_KEY_ID and the rest). */
export function keyEnv(key: {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    ...(key.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: key.sessionToken }),
  };
}
