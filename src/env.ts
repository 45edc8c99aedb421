/** Environment variables as every module receives them, and the two ways they are read. */

/** Environment variables as a plain read-only record (never `process.env` directly). */
export type Env = Readonly<Record<string, string | undefined>>;

/** The value with surrounding white space removed, or undefined when empty. */
export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Boolean environment flags: `true`, `1`, `yes` (any case). */
export function isTrue(value: string | undefined): boolean {
  return /^(true|1|yes)$/i.test(value?.trim() ?? '');
}
