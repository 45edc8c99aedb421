/** `doctor [IMAGE|REGISTRY] [--json]`: the report on stdout, exit 0 when nothing failed, else 1. */
import type { ActionContext } from '../../actions/action-context';
import type { Outcome } from '../../failure-output';
import { hideUserInfo } from '../../quote';
import { DOCTOR_CHECKS } from './doctor-checks';
import { doctorEffects } from './doctor-effects';
import { parseDoctorTarget } from './doctor-target';
import { renderJson, renderText } from './render-doctor';
import { runDoctor } from './run-doctor';

/**
 * The bound of a whole doctor run: each check is bounded by the timeout itself (run-doctor.ts), so
 * the run gets that many timeouts, and one.
 */
export function doctorBoundMs(timeoutMs: number): number {
  return timeoutMs * (DOCTOR_CHECKS.length + 1);
}

/** Runs doctor for the argument (a registry or an image, or nothing) and renders the report. */
export async function doctorCommand(
  context: ActionContext,
  options: { readonly target: string | undefined; readonly json: boolean },
): Promise<Outcome> {
  const subject = options.target?.trim() ?? '';
  const target = subject ? parseDoctorTarget(subject) : undefined;
  const report = await runDoctor({
    ...(target ? { target } : {}),
    env: context.env,
    logger: context.logger,
    stepTimeoutMs: context.config.timeoutMs,
    signal: context.signal,
    effects: doctorEffects({
      env: context.env,
      config: context.config,
      routes: context.routes,
      loadSdk: context.loadSdk,
    }),
  });
  return {
    exitCode: report.ok ? 0 : 1,
    stdout: options.json ? renderJson(report) : renderText(report, hideUserInfo(subject)),
    stderr: '',
  };
}
