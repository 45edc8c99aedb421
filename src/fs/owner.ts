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
}

/** This process's user. */
export function processOwner(): Owner {
  return { euid: process.geteuid?.() };
}

/** Why `stat` is not `owner`'s alone ("it belongs to uid …"), or undefined when it is. */
export function ownerProblem(stat: Pick<Stats, 'uid' | 'mode'>, owner: Owner): string | undefined {
  const { euid } = owner;
  if (euid === undefined) return undefined; // no uids on this platform (Windows)
  if (stat.uid !== euid) return `it belongs to uid ${stat.uid}, not to this user (uid ${euid})`;
  if ((stat.mode & 0o022) !== 0) {
    return `group or others can write it (mode ${(stat.mode & 0o7777).toString(8)})`;
  }
  return undefined;
}

/**
 * ownerProblem(), where root's files are trusted too (a machine-wide settings file, /etc): root
 * can change anything of this user's anyway. For root itself that is the same rule.
 */
export function ownerOrRootProblem(
  stat: Pick<Stats, 'uid' | 'mode'>,
  owner: Owner,
): string | undefined {
  const problem = ownerProblem(stat, owner);
  return problem !== undefined && stat.uid === 0 ? ownerProblem(stat, { euid: 0 }) : problem;
}
