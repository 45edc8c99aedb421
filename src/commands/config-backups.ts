/**
 * The one backup policy of every file configure edits (docs/configure.md#backups): docker's
 * config.json (configure, --store, --remove, --unstore), the kubelet's CredentialProviderConfig
 * (--kubelet) and the helper's own config file (--store). A backup is `<file>.<UTC stamp>[-n].bak`
 * beside the file as named, 0600, owned like the file (src/fs/replace-file.ts); after each backup
 * only the newest few are kept.
 */
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** How many backups of one file are kept. */
export const BACKUPS_KEPT = 5;

/** Backup names no earlier backup used: `config.json.<UTC stamp>[-n].bak`. */
export function backupNames(file: string, now: Date): string[] {
  const stamp = backupStamp(now);
  return Array.from({ length: 100 }, (_, n) => `${file}.${stamp}${n === 0 ? '' : `-${n}`}.bak`);
}

/** A backup's time stamp: 20261129T010203Z. */
export function backupStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The backups of `file`, oldest first (other files in the folder are not touched). */
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

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** The report line for the backups pruneBackups removed, if it removed any. */
export function prunedLine(file: string, pruned: readonly string[]): string[] {
  if (pruned.length === 0) return [];
  const older = pruned.length === 1 ? 'older backup' : 'older backups';
  return [`removed ${pruned.length} ${older} of ${file} (the newest ${BACKUPS_KEPT} are kept)`];
}
