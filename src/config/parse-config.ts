/**
 * One typed, validated Config from the settings. Pure: the caller passes env and home folder
 * (load-config.ts does the reading).
 */
import { isAbsolute, join } from 'node:path';
import { nonEmpty, isTrue, type Env } from '../env';
import { HelperError } from '../errors';
import { LOG_LEVELS, type LogLevel } from '../log';
import { PRODUCT } from '../product';
import { DEFAULT_ROUTE_TABLE, type RouteTable } from '../routing/route-table';
import { cacheDirVariable, cacheDisabled } from './cache-switches';
import type { KubeletSettings } from './kubelet-settings';
import { DEADLINE_VAR } from '../stores/find-helper';

/** Everything the helper's behaviour depends on, resolved once at start. */
export interface Config {
  /**
   * The user's home folder: `~` in settings, the default cache folder, the AWS config files. Null
   * when there is none (no usable HOME, no passwd entry): then there is no default cache folder.
   */
  readonly home: string | null;
  /** Bound on one whole call (stdin, credentials, API, cache lock), in milliseconds. */
  readonly timeoutMs: number;
  /** Token cache folder, or null when caching is disabled. */
  readonly cacheDir: string | null;
  readonly logLevel: LogLevel;
  /** Log to this file (appending) instead of stderr. */
  readonly logFile: string | null;
  /** AWS_ECR_IGNORE_CREDS_STORAGE: store/erase never fail, even for hosts we cannot delegate. */
  readonly ignoreCredsStorage: boolean;
  /** Settings ignored as unsafe, for the log once there is one. */
  readonly warnings: readonly string[];
  /** Universal mode: the fallback store and the routes of the config file (docs/universal-mode.md). */
  readonly routes: RouteTable;
  /** Set when running as the kubelet's image credential provider (docs/kubelet.md). */
  readonly kubelet?: KubeletSettings;
  /**
   * Epoch ms by which the call must be over because the instance of this helper that delegated
   * to the program that started it stops that program then (ECR_TS_DEADLINE); null when none did.
   */
  readonly endBy: number | null;
}

/** Default bound on one call; docker waits forever for a helper, so we must not. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Parses the helper's settings; throws a CONFIG error naming the bad variable. `routes` come from
 * the config file (load-config.ts reads and parses it).
 */
export function parseConfig(
  env: Env,
  home: string | null,
  routes: RouteTable = DEFAULT_ROUTE_TABLE,
  now: number = Date.now(),
): Config {
  const warnings: string[] = [];
  return {
    home,
    timeoutMs: parseTimeout(env['ECR_TS_TIMEOUT']),
    cacheDir: cacheDir(env, home, (text) => warnings.push(text)),
    logLevel: parseLevel(env['ECR_TS_LOG_LEVEL']),
    logFile: nonEmpty(env['ECR_TS_LOG_FILE']) ?? null,
    ignoreCredsStorage: isTrue(env['AWS_ECR_IGNORE_CREDS_STORAGE']),
    warnings,
    routes,
    endBy: parseEndBy(env[DEADLINE_VAR], now),
  };
}

/** Farther than the longest bound (3600 s) from now, a deadline is no call's: left over. */
const MAX_DEADLINE_DISTANCE_MS = 3600_000;

/**
 * ECR_TS_DEADLINE, which a delegating instance of this helper sets (stores/find-helper.ts). Only
 * ever shortens the call. Not a setting: a value that is no time near now (an old environment
 * passed on by some daemon) is ignored rather than failing every call.
 */
function parseEndBy(raw: string | undefined, now: number): number | null {
  const text = nonEmpty(raw);
  if (text === undefined || !/^\d{1,16}$/.test(text)) return null;
  const deadline = Number(text);
  return Math.abs(deadline - now) > MAX_DEADLINE_DISTANCE_MS ? null : deadline;
}

// Relative folders are never used: resolved against the caller's working folder they would drop
// registry passwords into whatever project docker ran in (and from there into git). Our ECR_TS_*
// name wins over the Go helper's AWS_ECR_* one (docs/clients.md#settings): AWS_ECR_CACHE_DIR may
// be set for docker-credential-ecr-login beside us, and Finch passes only the AWS_ECR_* names.
function cacheDir(env: Env, home: string | null, warn: (text: string) => void): string | null {
  if (cacheDisabled(env)) return null;
  const name = cacheDirVariable(env);
  const explicit = name && nonEmpty(env[name]);
  if (name && explicit) {
    const ignoring = `ignoring ${name} "${explicit}"`;
    // `~` as the reference helper expands it: set in a systemd unit or a CI file, no shell did.
    const tilde = explicit === '~' || explicit.startsWith('~/');
    if (tilde && home === null) {
      warn(`${ignoring}: there is no home folder for ~; the token cache is off`);
      return null;
    }
    const dir = tilde ? `${home}${explicit.slice(1)}` : explicit;
    if (!isAbsolute(dir)) {
      warn(`${ignoring}: not an absolute path; the token cache is off`);
      return null;
    }
    return dir;
  }
  // The XDG spec says a relative value is invalid and must be ignored.
  const xdg = nonEmpty(env['XDG_CACHE_HOME']);
  if (xdg && isAbsolute(xdg)) return join(xdg, PRODUCT);
  return home === null ? null : join(home, '.cache', PRODUCT);
}

function parseTimeout(raw: string | undefined): number {
  const text = nonEmpty(raw);
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new HelperError(
      'CONFIG',
      `invalid ECR_TS_TIMEOUT "${text}": expected a number of seconds between 0 and 3600`,
    );
  }
  return Math.round(seconds * 1000);
}

function parseLevel(raw: string | undefined): LogLevel {
  const text = nonEmpty(raw)?.toLowerCase();
  if (text === undefined) return 'warn';
  const level = LOG_LEVELS.find((candidate) => candidate === text);
  if (!level) {
    throw new HelperError(
      'CONFIG',
      `invalid ECR_TS_LOG_LEVEL "${text}": expected one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  return level;
}
