/**
 * The backups configure leaves beside docker's config.json (`config.json.<UTC stamp>[-n].bak`,
 * docs/configure.md#backups): the newest few are kept, older ones removed, and after a migration
 * the ones that still hold a moved password in plain text are named.
 */
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MAX_SETTINGS_BYTES, readRegularFile } from '../fs/read-regular-file';
import type { Credentials } from '../stores/credential-store';
import { loginsIn } from './plan-store-migration';

/** How many backups of one config.json are kept. */
export const BACKUPS_KEPT = 5;

/** configure's backups of `file`, oldest first (other files in the folder are not touched). */
export function configBackups(file: string): string[] {
  const dir = dirname(file);
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${name}\\.(\\d{8}T\\d{6}Z)(?:-(\\d{1,2}))?\\.bak$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((entry) => {
      const match = pattern.exec(entry);
      return match ? [{ entry, stamp: match[1] ?? '', n: Number(match[2] ?? 0) }] : [];
    })
    .sort((a, b) => (a.stamp === b.stamp ? a.n - b.n : a.stamp < b.stamp ? -1 : 1))
    .map(({ entry }) => join(dir, entry))
    .filter(isRegularFile);
}

/** Removes all but the newest BACKUPS_KEPT backups of `file`; returns the ones removed. */
export function pruneBackups(file: string): string[] {
  const backups = configBackups(file);
  const removed: string[] = [];
  for (const path of backups.slice(0, Math.max(0, backups.length - BACKUPS_KEPT))) {
    try {
      unlinkSync(path);
      removed.push(path);
    } catch {
      // Not ours to remove after all (a read-only folder): it stays, and so does the rest.
    }
  }
  return removed;
}

/** The backups of `file` holding any of `logins` (user and password) in plain text, and how many. */
export function backupsHolding(
  file: string,
  logins: readonly Credentials[],
): { path: string; count: number }[] {
  const found: { path: string; count: number }[] = [];
  for (const path of configBackups(file)) {
    let held: Credentials[];
    try {
      held = loginsIn(JSON.parse(readRegularFile(path, MAX_SETTINGS_BYTES).bytes.toString('utf8')));
    } catch {
      continue; // unreadable or not JSON: nothing configure could say about it
    }
    const count = logins.filter((login) =>
      held.some((old) => old.username === login.username && old.secret === login.secret),
    ).length;
    if (count > 0) found.push({ path, count });
  }
  return found;
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}
