/**
 * Whether this program is already running further up the process tree: a delegation loop that
 * no environment variable survives (a helper that calls us again through sudo, `env -i` or
 * `su -l` drops ECR_TS_CALL_DEPTH and ECR_TS_DEADLINE alike). Linux only (/proc); elsewhere, and
 * where /proc cannot be read, nothing is found and the call depth and deadline must do.
 *
 * Looked at only when a call is about to start another helper, never on the ECR path.
 */
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { realPathOf } from '../fs/real-path';

/** No real process tree is deeper; a cycle in what /proc says must not loop forever. */
const MAX_LEVELS = 64;

/**
 * The pid of the nearest ancestor process that runs this program, or undefined. `self`: the
 * paths this program runs from (the executable, and under Node the script): an ancestor runs
 * this program when /proc says it runs the same executable and, when there is a script, names
 * that script in its arguments (Node runs many programs; jest, for one).
 */
export function ancestorRunningSelf(self: readonly string[], proc = '/proc'): number | undefined {
  const exe = readlinkOrUndefined(`${proc}/self/exe`);
  if (exe === undefined) return undefined;
  const realExe = realPathOf(exe);
  // Under Bun's executable the "script" is a path inside the binary (/$bunfs/…): no file.
  const script = self
    .map((path) => realPathOf(path))
    .find((path) => path !== undefined && path !== realExe && isFile(path));
  let pid = parentOf(`${proc}/self`);
  for (let level = 0; pid !== undefined && pid > 1 && level < MAX_LEVELS; level += 1) {
    if (readlinkOrUndefined(`${proc}/${pid}/exe`) === exe) {
      if (script === undefined || namesScript(`${proc}/${pid}`, script)) return pid;
    }
    pid = parentOf(`${proc}/${pid}`);
  }
  return undefined;
}

/** The parent pid in `<dir>/stat` (the field after the command name, which may hold spaces). */
function parentOf(dir: string): number | undefined {
  try {
    const stat = readFileSync(`${dir}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process at `dir` has `script` (a real path) among its arguments. */
function namesScript(dir: string, script: string): boolean {
  let args: string[];
  try {
    args = readFileSync(`${dir}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  const cwd = readlinkOrUndefined(`${dir}/cwd`);
  return args.some((arg) => {
    if (basename(arg) !== basename(script)) return false;
    if (!isAbsolute(arg) && cwd === undefined) return false;
    return realPathOf(cwd === undefined ? arg : resolve(cwd, arg)) === script;
  });
}

function readlinkOrUndefined(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined; // another user's process, or no /proc
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
