/**
 * Walks a chain of checks, one at a time, each bounded by its own deadline (the call's timeout,
 * deadline.ts), and says where it breaks: docker's chain from its config to the image's manifest
 * (doctor-checks.ts), or the kubelet's from its provider config to the answer it would get
 * (kubelet-checks.ts). A check whose input an earlier one could not establish is skipped, not
 * failed. Effects are passed in; nothing here prints, and every secret seen on the way is masked
 * in the report.
 */
import type { AwsSdk } from '../../aws/aws-sdk';
import type { AgentChoice } from '../../aws/http-agents';
import { withDeadline } from '../../deadline';
import { nonEmpty, type Env } from '../../env';
import { toHelperError } from '../../errors';
import type { Logger } from '../../log';
import {
  failed,
  type ChainCheck,
  type Check,
  type CheckResult,
  type CheckWork,
  type DoctorReport,
} from './check';
import { DOCTOR_CHECKS, type DoctorRun, type Found } from './doctor-checks';
import type { DoctorEffects } from './doctor-effects';
import type { DoctorTarget } from './doctor-target';
import { KUBELET_CHECKS, type KubeletFound, type KubeletRun } from './kubelet-checks';
import { createSecretMask, type SecretMask } from './secret-mask';

/** How every check of one run is bounded, and its effects. */
interface RunOptions {
  readonly env: Env;
  readonly logger: Logger;
  /** The bound of each check, in milliseconds (ECR_TS_TIMEOUT). */
  readonly stepTimeoutMs: number;
  /** Ends every check (the whole call's bound, or the caller's abort). */
  readonly signal: AbortSignal;
  readonly effects: DoctorEffects;
}

/** What one doctor run needs. */
interface DoctorOptions extends RunOptions {
  readonly target?: DoctorTarget;
}

/** What one `doctor --kubelet` run needs: the image, and where the kubelet's provider is. */
interface KubeletDoctorOptions
  extends RunOptions, Pick<KubeletRun, 'image' | 'configFile' | 'binDir' | 'name' | 'program'> {}

/** Runs docker's chain in order and returns the report. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { env, effects } = options;
  const { secrets, secret } = maskFor(options);
  let sdk: Promise<AwsSdk> | undefined;
  let agents: Promise<AgentChoice> | undefined;
  const run: DoctorRun = {
    target: options.target,
    env,
    effects,
    sdk: () => (sdk ??= effects.loadSdk()),
    awsAgents: () => (agents ??= effects.chooseAgents(env)),
    secret,
    hide: (text) => secrets.hide(text),
    hideQuoted: (text) => secrets.hideQuoted(text),
  };
  try {
    const initial: Found = {};
    return await runChecks(DOCTOR_CHECKS, run, initial, options, secrets);
  } finally {
    (await agents?.catch(() => undefined))?.destroy();
  }
}

/** Runs the kubelet's chain in order and returns the report. */
export function runKubeletDoctor(options: KubeletDoctorOptions): Promise<DoctorReport> {
  const { secrets, secret } = maskFor(options);
  const initial: KubeletFound = {};
  return runChecks(KUBELET_CHECKS, { ...options, secret }, initial, options, secrets);
}

/** The one loop: each check prepared from what the ones before found, run bounded, masked. */
async function runChecks<R, F extends object>(
  chain: readonly ChainCheck<R, F>[],
  run: R,
  initial: F,
  options: RunOptions,
  secrets: SecretMask,
): Promise<DoctorReport> {
  let found = initial;
  const checks: Check[] = [];
  for (const check of chain) {
    const work = check.prepare(run, found);
    const result =
      typeof work === 'function' ? await bounded(work, check.name, options) : { finding: work };
    found = { ...found, ...result.value };
    checks.push({ name: check.name, ...result.finding });
  }
  const masked = checks.map((check) => mask(check, secrets));
  return { ok: masked.every((check) => check.ok !== false), checks: masked };
}

/** Runs one check with its own deadline; a timeout or a throw becomes its failed finding. */
function bounded<F>(
  work: CheckWork<F>,
  name: string,
  options: RunOptions,
): Promise<CheckResult<F>> {
  const progress = { step: `checking ${name}` };
  return withDeadline({
    timeoutMs: options.stepTimeoutMs,
    progress,
    signal: options.signal,
    work: ({ deadline, signal }) =>
      work({ env: options.env, logger: options.logger, signal, deadline, progress }).catch(
        (error: unknown): CheckResult<F> => ({ finding: failed(toHelperError(error).message) }),
      ),
    expired: (text): CheckResult<F> => ({
      finding: failed(text, 'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).'),
    }),
  });
}

/**
 * The report's mask, holding the environment's secrets; `secret` adds one to it, and to the debug
 * log's (the SDK's, a helper's).
 */
function maskFor(options: RunOptions): { secrets: SecretMask; secret: (value: string) => void } {
  const secrets = createSecretMask();
  for (const value of envSecrets(options.env)) secrets.add(value);
  const secret = (value: string): void => {
    secrets.add(value);
    options.logger.addSecret(value);
  };
  return { secrets, secret };
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

function mask(check: Check, secrets: SecretMask): Check {
  return {
    ...check,
    detail: secrets.hide(check.detail),
    ...(check.hint ? { hint: secrets.hide(check.hint) } : {}),
  };
}
