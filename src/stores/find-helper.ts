/**
 * Finds the `docker-credential-<name>` a route or the fallback names, and refuses one that leads
 * back to this helper: by name, by resolved path, or through another helper that calls us again
 * (the call depth travels in the environment; where a helper drops it, an ancestor process that
 * runs this program gives the loop away). A loop must end in one clear error, never a storm.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';
import { realPathOf } from '../fs/real-path';
import { PRODUCT } from '../product';
import { isHelperName } from '../text-checks';

/** Set to the call depth for every helper we start; a helper started by us runs at depth >= 1. */
const CALL_DEPTH_VAR = 'ECR_TS_CALL_DEPTH';
/**
 * Set for every helper we start to the epoch milliseconds by which it must be done (when we stop
 * it): an instance of this program started below it ends its own call by then
 * (config/parse-config.ts), so nothing a call started outlives it, loops included.
 */
export const DEADLINE_VAR = 'ECR_TS_DEADLINE';
const PREFIX = 'docker-credential-';

/** This call's depth: 0 when docker (or a person) ran us, n when n delegations led here. */
function callDepth(env: Env): number {
  const depth = Number(env[CALL_DEPTH_VAR] ?? '0');
  return Number.isInteger(depth) && depth > 0 ? depth : 0;
}

/** The environment a delegated helper runs with: ours, one level deeper, ending by `deadline`. */
export function delegatedEnv(env: Env, deadline: number): Env {
  return {
    ...env,
    [CALL_DEPTH_VAR]: String(callDepth(env) + 1),
    [DEADLINE_VAR]: String(Math.floor(deadline)),
  };
}

/**
 * The absolute path of `docker-credential-<name>` on PATH. Throws a DELEGATE error naming it when
 * it is missing, names this helper, or we were ourselves started by a delegated helper.
 */
export function findHelper(options: {
  name: string;
  env: Env;
  /** Paths this program runs from (the executable, the npm shim); compared after realpath. */
  self: readonly string[];
  /** The pid of an ancestor process running this program (ancestor-self.ts), if any. */
  ancestor?: () => number | undefined;
}): string {
  const { name, env } = options;
  const program = `${PREFIX}${name}`;
  // What docker accepts after `docker-credential-`: no path separators, no option look-alikes.
  if (!isHelperName(name)) {
    throw new HelperError(
      'DELEGATE',
      `invalid helper name ${JSON.stringify(name)}: expected the part after "${PREFIX}", like "pass"`,
    );
  }
  // Either variable set means a delegating instance of this program is further up; a helper in
  // between that dropped the depth (env -u) still passed the deadline on.
  const depth = callDepth(env);
  const deadline = nonEmpty(env[DEADLINE_VAR]);
  if (depth > 0 || deadline !== undefined) {
    const evidence =
      depth > 0
        ? `${CALL_DEPTH_VAR}=${depth}`
        : `${DEADLINE_VAR} is set, though ${CALL_DEPTH_VAR} was dropped on the way`;
    throw new HelperError(
      'DELEGATE',
      `refusing to delegate to ${program}: ${PRODUCT} was itself started by a delegated helper (${evidence}), so a route or the fallback leads back to it; point that helper elsewhere`,
    );
  }
  if (program === PRODUCT) throw selfLoop(program, 'that is this helper');
  const ancestor = options.ancestor?.();
  if (ancestor !== undefined) {
    throw new HelperError(
      'DELEGATE',
      `refusing to delegate to ${program}: ${PRODUCT} is already running further up this call (process ${ancestor}), so a route or the fallback leads back to it; point that helper elsewhere`,
    );
  }
  const path = findOnPath(program, env['PATH'] ?? '');
  if (path === undefined) {
    throw new HelperError(
      'DELEGATE',
      `${program} not found on PATH: install it, or change the route or "fallback" that names "${name}" in the config file`,
    );
  }
  const real = realPathOf(path) ?? path;
  if (options.self.some((own) => (realPathOf(own) ?? own) === real)) {
    throw selfLoop(program, `${path} is this helper`);
  }
  return path;
}

function selfLoop(program: string, why: string): HelperError {
  return new HelperError(
    'DELEGATE',
    `refusing to delegate to ${program}: ${why}, and calling it would loop; choose another helper or "file"`,
  );
}

/**
 * The first executable regular file named `program` in the absolute folders of `path` (a PATH
 * value), as docker's exec.LookPath finds a helper; doctor's helper-on-path check uses it too.
 */
export function findOnPath(program: string, path: string): string | undefined {
  // A relative PATH entry (or an empty one, meaning ".") would run whatever lies in the folder
  // docker was started in.
  for (const dir of path.split(delimiter).filter((entry) => isAbsolute(entry))) {
    const candidate = join(dir, program);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
