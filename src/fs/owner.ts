/**
 * Whose files the helper trusts: its own user's, and only those nobody else can write
 * (docs/security-model.md). Whoever can write a file or folder that holds passwords can plant a
 * password of their choosing, a symlink, or a file whose owner a write would inherit.
 */
import type { Stats } from 'node:fs';

/** The user whose files are trusted: the effective uid (undefined where the platform has none). */
export interface Owner {
  readonly euid: number | undefined;
  /** HOME: a folder under it is created only while HOME itself exists (make-dir.ts). */
  readonly home?: string;
  /** Root's files are trusted too (a system's settings under /etc: the kubelet's config file). */
  readonly rootToo?: boolean;
}

/** This process's user. */
export function processOwner(): Owner {
  return { euid: process.geteuid?.() };
}

/** Why `stat` is not `owner`'s alone ("it belongs to uid …"), or undefined when it is. */
export function ownerProblem(stat: Pick<Stats, 'uid' | 'mode'>, owner: Owner): string | undefined {
  const { euid } = owner;
  if (euid === undefined) return undefined; // no uids on this platform (Windows)
  if (stat.uid !== euid && !(owner.rootToo === true && stat.uid === 0)) {
    const or = owner.rootToo === true && euid !== 0 ? ' or root' : '';
    return `it belongs to uid ${stat.uid}, not to this user (uid ${euid})${or}`;
  }
  if ((stat.mode & 0o022) !== 0) {
    return `group or others can write it (mode ${(stat.mode & 0o7777).toString(8)})`;
  }
  return undefined;
}
