/**
 * Finds the `docker-credential-<name>` a route or the fallback names, and refuses one that leads
 * back to this helper: by name, by resolved path, or through another helper that calls us again
 * (the call depth travels in the environment). A loop must end in one clear error, never a storm.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Env } from '../env';
import { HelperError } from '../errors';
import { PRODUCT } from '../product';

/** Set to the call depth for every helper we start; a helper started by us runs at depth >= 1. */
const CALL_DEPTH_VAR = 'ECR_TS_CALL_DEPTH';
const PREFIX = 'docker-credential-';
/** What docker accepts after `docker-credential-`: no path separators, no option look-alikes. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** This call's depth: 0 when docker (or a person) ran us, n when n delegations led here. */
function callDepth(env: Env): number {
  const depth = Number(env[CALL_DEPTH_VAR] ?? '0');
  return Number.isInteger(depth) && depth > 0 ? depth : 0;
}

/** The environment a delegated helper runs with: ours, one level deeper. */
export function delegatedEnv(env: Env): Env {
  return { ...env, [CALL_DEPTH_VAR]: String(callDepth(env) + 1) };
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
}): string {
  const { name, env } = options;
  const program = `${PREFIX}${name}`;
  if (!HELPER_NAME.test(name)) {
    throw new HelperError(
      'DELEGATE',
      `invalid helper name ${JSON.stringify(name)}: expected the part after "${PREFIX}", like "pass"`,
    );
  }
  const depth = callDepth(env);
  if (depth > 0) {
    throw new HelperError(
      'DELEGATE',
      `refusing to delegate to ${program}: ${PRODUCT} was itself started by a delegated helper (${CALL_DEPTH_VAR}=${depth}), so a route or the fallback leads back to it; point that helper elsewhere`,
    );
  }
  if (program === PRODUCT) throw selfLoop(program, 'that is this helper');
  const path = findOnPath(program, env['PATH'] ?? '');
  if (path === undefined) {
    throw new HelperError(
      'DELEGATE',
      `${program} not found on PATH: install it, or change the route or "fallback" that names "${name}" in the config file`,
    );
  }
  const real = realpathOrSelf(path);
  if (options.self.some((own) => realpathOrSelf(own) === real)) {
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

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
