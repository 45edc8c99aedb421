/**
 * Walks the chain from docker's config to the image's manifest (doctor-checks.ts), one check at a
 * time, each bounded by its own deadline (the call's timeout, deadline.ts), and says where it
 * breaks. A check whose input an earlier one could not establish is skipped, not failed. Effects
 * are passed in; nothing here prints, and every secret seen on the way is masked in the report.
 */
import type { AwsSdk } from '../../aws/aws-sdk';
import type { AgentChoice } from '../../aws/http-agents';
import { withDeadline } from '../../deadline';
import { nonEmpty, type Env } from '../../env';
import { toHelperError } from '../../errors';
import type { Logger } from '../../log';
import { failed, type Check, type DoctorReport } from './check';
import {
  DOCTOR_CHECKS,
  type CheckResult,
  type CheckWork,
  type DoctorRun,
  type Found,
} from './doctor-checks';
import type { DoctorEffects } from './doctor-effects';
import type { DoctorTarget } from './doctor-target';

/** What one doctor run needs. */
interface DoctorOptions {
  readonly target?: DoctorTarget;
  readonly env: Env;
  readonly logger: Logger;
  /** The bound of each check, in milliseconds (ECR_TS_TIMEOUT). */
  readonly stepTimeoutMs: number;
  /** Ends every check (the whole call's bound, or the caller's abort). */
  readonly signal: AbortSignal;
  readonly effects: DoctorEffects;
}

/** Runs every check in order and returns the report. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { env, effects } = options;
  const secrets = new Set<string>(envSecrets(env));
  let sdk: Promise<AwsSdk> | undefined;
  let agents: Promise<AgentChoice> | undefined;
  const run: DoctorRun = {
    target: options.target,
    env,
    effects,
    sdk: () => (sdk ??= effects.loadSdk()),
    awsAgents: () => (agents ??= effects.chooseAgents(env)),
    secret: (value) => void secrets.add(value),
  };
  let found: Found = {};
  const checks: Check[] = [];
  try {
    for (const check of DOCTOR_CHECKS) {
      const work = check.prepare(run, found);
      const result =
        typeof work === 'function' ? await bounded(work, check.name, options) : { finding: work };
      found = { ...found, ...result.found };
      checks.push({ name: check.name, ...result.finding });
    }
  } finally {
    (await agents?.catch(() => undefined))?.destroy();
  }
  const masked = checks.map((check) => mask(check, secrets));
  return { ok: masked.every((check) => check.ok !== false), checks: masked };
}

/** Runs one check with its own deadline; a timeout or a throw becomes its failed finding. */
function bounded(work: CheckWork, name: string, options: DoctorOptions): Promise<CheckResult> {
  const progress = { step: `checking ${name}` };
  return withDeadline({
    timeoutMs: options.stepTimeoutMs,
    progress,
    signal: options.signal,
    work: ({ deadline, signal }) =>
      work({ env: options.env, logger: options.logger, signal, deadline, progress }).catch(
        (error: unknown) => ({ finding: failed(toHelperError(error).message) }),
      ),
    expired: (text) => ({
      finding: failed(text, 'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).'),
    }),
  });
}

/** Values from the environment that must never show: keys, the container URI capability. */
function envSecrets(env: Env): string[] {
  return [
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  ].flatMap((name) => nonEmpty(env[name]) ?? []);
}

function mask(check: Check, secrets: ReadonlySet<string>): Check {
  const hide = (text: string): string => {
    let out = text;
    for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
    return out;
  };
  return {
    ...check,
    detail: hide(check.detail),
    ...(check.hint ? { hint: hide(check.hint) } : {}),
  };
}
