/**
 * TEMPORARY stand-in for the route resolver (branch universal-routes): ECR hosts are `ecr`, every
 * other host goes to the fallback store, read from the config file's `fallback` key (default
 * `file`). The integrator replaces createLocalRoutes with the resolver behind the same Routes.
 */
import { readFileSync } from 'node:fs';
import { configFilePath } from '../config/config-file-path';
import type { Env } from '../env';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { parseRegistry } from '../registry/parse-registry';
import type { Route, StoreName } from './route';

/** The routes of one call: what a host resolves to, and every store a route or the fallback names. */
export interface Routes {
  routeFor(serverUrl: string): Route;
  /** The fallback first, then each store a route names, without repeats (for `list`). */
  stores(): readonly StoreName[];
}

/** Routes from the config file's `fallback` alone; the file is read on first use only. */
export function createLocalRoutes(env: Env, home: string | null): Routes {
  let fallback: StoreName | undefined;
  return routesWithFallback(() => (fallback ??= readFallback(env, home)));
}

/** ECR hosts are `ecr`, every other host goes to the store `getFallback()` names. */
export function routesWithFallback(getFallback: () => StoreName): Routes {
  return {
    routeFor(serverUrl) {
      const registry = parseRegistry(serverUrl);
      if (registry.kind !== 'other') return { kind: 'ecr', registry, identity: {} };
      return { kind: 'store', store: getFallback() };
    },
    stores: () => [getFallback()],
  };
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG']);

/** The StoreName a `fallback` value names: `file`, `none`, or a helper name. */
export function storeNameOf(value: string): StoreName {
  if (value === 'file') return { kind: 'file' };
  if (value === 'none') return { kind: 'none' };
  return { kind: 'helper', name: value };
}

function readFallback(env: Env, home: string | null): StoreName {
  const { path, explicit } = configFilePath(env, home);
  if (path === null) return { kind: 'file' };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // A default path that cannot exist (a HOME too long, or under a file) is no file either.
    if (ABSENT.has(errorCode(error)) && !explicit) return { kind: 'file' };
    throw new HelperError('CONFIG', `cannot read the config file ${path} (${errorCode(error)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HelperError('CONFIG', `${path}: not valid JSON`);
  }
  const raw = (value as { fallback?: unknown } | null)?.fallback;
  if (raw === undefined) return { kind: 'file' };
  if (typeof raw !== 'string' || !raw) {
    throw new HelperError('CONFIG', `${path}: fallback: expected a string`);
  }
  return storeNameOf(raw);
}
