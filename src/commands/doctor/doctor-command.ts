/**
 * `doctor [IMAGE|REGISTRY] [--json]`, and `doctor --kubelet IMAGE [--config PATH] [--bin-dir DIR]
 * [--name NAME] [--json]`: the report on stdout, exit 0 when nothing failed, else 1.
 */
import type { ActionContext } from '../../actions/action-context';
import { HelperError } from '../../errors';
import type { Outcome } from '../../failure-output';
import { PRODUCT } from '../../product';
import { hideUserInfo } from '../../quote';
import { DEFAULT_KUBELET_BIN_DIR, DEFAULT_KUBELET_PROVIDER_CONFIG } from '../configure-kubelet';
import type { DoctorReport } from './check';
import { DOCTOR_CHECKS } from './doctor-checks';
import { doctorEffects } from './doctor-effects';
import { parseDoctorTarget } from './doctor-target';
import { KUBELET_CHECKS } from './kubelet-checks';
import { renderJson, renderText } from './render-doctor';
import { runDoctor, runKubeletDoctor } from './run-doctor';

/** What doctor was asked. */
export interface DoctorCommandOptions {
  readonly target: string | undefined;
  readonly json: boolean;
  /** `--kubelet`: the kubelet's chain for an image, where its provider is (defaults otherwise). */
  readonly kubelet?: {
    readonly configFile?: string;
    readonly binDir?: string;
    readonly name?: string;
  };
}

/**
 * The bound of a whole doctor run: each check is bounded by the timeout itself (run-doctor.ts), so
 * the run gets that many timeouts, and one.
 */
export function doctorBoundMs(timeoutMs: number, options: { readonly kubelet: boolean }): number {
  const checks = options.kubelet ? KUBELET_CHECKS : DOCTOR_CHECKS;
  return timeoutMs * (checks.length + 1);
}

/** Runs doctor for the argument (a registry or an image, or nothing) and renders the report. */
export async function doctorCommand(
  context: ActionContext,
  options: DoctorCommandOptions,
): Promise<Outcome> {
  const subject = options.target?.trim() ?? '';
  const run = {
    env: context.env,
    logger: context.logger,
    stepTimeoutMs: context.config.timeoutMs,
    signal: context.signal,
    effects: doctorEffects(context),
  };
  let report: DoctorReport;
  let command = 'doctor';
  if (options.kubelet) {
    if (subject === '') {
      throw new HelperError(
        'USAGE',
        'doctor --kubelet needs an image, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/app',
      );
    }
    command = 'doctor --kubelet';
    report = await runKubeletDoctor({
      ...run,
      image: subject,
      configFile: options.kubelet.configFile ?? DEFAULT_KUBELET_PROVIDER_CONFIG,
      binDir: options.kubelet.binDir ?? DEFAULT_KUBELET_BIN_DIR,
      name: options.kubelet.name ?? PRODUCT,
      program: context.program,
    });
  } else {
    const target = subject ? parseDoctorTarget(subject) : undefined;
    report = await runDoctor({ ...run, ...(target ? { target } : {}) });
  }
  return {
    exitCode: report.ok ? 0 : 1,
    stdout: options.json ? renderJson(report) : renderText(report, hideUserInfo(subject), command),
    stderr: '',
  };
}
