/** The shape of `doctor`'s findings: one check per link of the chain, in the order it is walked. */

/** The `name` of a check in `--json` (doctor-checks.ts runs them in the order of docs/doctor.md). */
export type CheckName =
  | 'docker-config'
  | 'helper-on-path'
  | 'route'
  | 'aws-credentials'
  | 'caller-identity'
  | 'authorization-token'
  | 'registry'
  | 'image';

/** One finding: passed (true), failed (false) or skipped (null), what was seen, what to do. */
export interface Check {
  readonly name: CheckName;
  readonly ok: boolean | null;
  /** What the check established or saw; never a secret. */
  readonly detail: string;
  /** What to do about a failure (or a skip). */
  readonly hint?: string;
}

/** The whole run: ok when nothing failed (skipped checks do not fail it). */
export interface DoctorReport {
  readonly ok: boolean;
  readonly checks: readonly Check[];
}

/** A check's finding without its name (the runner adds it). */
export type Finding = Omit<Check, 'name'>;

/** A passed finding. */
export const passed = (detail: string): Finding => ({ ok: true, detail });

/** A failed finding with what to do. */
export const failed = (detail: string, hint?: string): Finding =>
  hint === undefined ? { ok: false, detail } : { ok: false, detail, hint };

/** A skipped finding (not run: nothing to check, or an earlier link broke). */
export const skipped = (detail: string, hint?: string): Finding =>
  hint === undefined ? { ok: null, detail } : { ok: null, detail, hint };
