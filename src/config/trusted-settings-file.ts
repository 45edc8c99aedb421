/**
 * Whether a settings file may be trusted (docs/security-model.md): it decides where registry
 * passwords go, so it must belong to this user or root, and neither it nor its folder may be
 * writable by anyone else. The same rule as the token cache's folder and files. Pure.
 */

/** The stat fields the rule reads. */
export interface OwnerAndMode {
  readonly uid: number | bigint;
  readonly mode: number | bigint;
}

/** Why `what` (a file or its folder) must not be trusted by `euid`; undefined when it may. */
export function distrustReason(
  what: string,
  stats: OwnerAndMode,
  euid: number,
): string | undefined {
  const uid = Number(stats.uid);
  const mode = Number(stats.mode) & 0o7777;
  if (uid !== euid && uid !== 0) {
    return `${what} belongs to uid ${uid}, not to this user (uid ${euid}) or root`;
  }
  if ((mode & 0o022) !== 0) {
    const octal = (mode & 0o7777).toString(8).padStart(4, '0');
    return `${what} is writable by ${(mode & 0o020) !== 0 ? 'its group' : 'others'} (mode ${octal}): chmod go-w it`;
  }
  return undefined;
}
