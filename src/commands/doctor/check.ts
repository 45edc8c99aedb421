/**
 * The shape of `doctor`'s findings, one check per link of the chain in the order it is walked,
 * and of a check as data (doctor-checks.ts, kubelet-checks.ts), which run-doctor.ts runs.
 */
import type { CallContext } from '../../call-context';

/**
 * The `name` of a check in `--json`, in the order of docs/doctor.md: docker's chain
 * (doctor-checks.ts), then the kubelet's (kubelet-checks.ts, which shares `route`).
 */
export type CheckName =
  | 'docker-config'
  | 'helper-on-path'
  | 'route'
  | 'aws-credentials'
  | 'caller-identity'
  | 'authorization-token'
  | 'registry'
  | 'image'
  | 'provider-config'
  | 'provider-file'
  | 'response';

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

/**
 * What a check came to: its finding, and what it established (none when it could not): a judge's
 * (check-*.ts) own value, or what a link of the chain hands the checks after it.
 */
export interface CheckResult<T> {
  readonly finding: Finding;
  readonly value?: T;
}

/** Runs one check within its own bound (`context`: its deadline, signal and progress). */
export type CheckWork<F> = (context: CallContext) => Promise<CheckResult<F>>;

/**
 * One link of a chain of checks: `R` is what the run gives every check, `F` what the checks
 * before it established. `prepare` gives the work of the check, or the (skipped) finding when it
 * cannot or need not run.
 */
export interface ChainCheck<R, F> {
  readonly name: CheckName;
  prepare(run: R, found: F): CheckWork<F> | Finding;
}
