/**
 * The executable's entry: the only module that touches `process` (argv, env, stdio, exit code).
 * It hands what it read to compose.ts, answers, prints and exits.
 */
import { getAction } from './actions/get';
import { compose, type Wiring } from './compose';
import { homeForSdk } from './config/resolve-home';
import { failureOutput, type Outcome } from './failure-output';
import { createLogger, type Logger } from './log';
import { logSink } from './log-sink';
import { readFd } from './protocol/read-input';
import { isTerminal, writeAll } from './write-fd';

/** Invocations that only describe the program: they never need the config file. */
const INFO_ONLY = new Set(['version', '-v', '--version', '-h', '--help']);

/** Runs the helper for this process and exits with its status. */
export async function main(): Promise<void> {
  const env = process.env;
  // The SDK warns on Node < 22 via process.emitWarning; callers show our stderr to users.
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const args = process.argv.slice(2);
  let result: Outcome;
  let logger: Logger | undefined;
  try {
    const call = compose({
      env,
      // The bound counts from the process's start, not from here: runtime start-up is part of the wait.
      startedAt: Math.floor(performance.timeOrigin),
      // A socket or terminal on stdin cannot be read without blocking a thread: use the stream.
      readInput: () => readFd(0, { stream: () => process.stdin }),
      uid: process.getuid?.() ?? -1,
      // A helper resolving to the executable or the npm shim would be this program again.
      self: [process.execPath, process.argv[1] ?? ''].filter(Boolean),
      // Asking what this program is must work even when its config file is broken.
      routes: !INFO_ONLY.has(args[0] ?? '--help'),
      // doctor writes nothing (docs/doctor.md): it checks the config file whole, and records nothing.
      ...(args[0] === 'doctor' ? {} : { recordChecked: { euid: process.geteuid?.() } }),
    });
    logger = call.logger;
    // The SDK reads HOME itself: it must not see an empty or relative one, nor fail without one.
    env['HOME'] = homeForSdk(env, call.config.home) ?? env['HOME'];
    quietRuntimeWarnings(logger);
    result = await answer(args, call);
  } catch (error) {
    result = failureOutput(error, 'protocol');
  }
  // A bad setting (ECR_TS_TIMEOUT=abc) fails before there is a logger; docker pull would then
  // show nothing of it (see failure-output.ts), so it gets the default stderr logger.
  logger ??= createLogger({ level: 'error', ...logSink(null) });
  const { reason } = result;
  if (reason) {
    // At a terminal stdout already shows the line: say it once.
    if (reason.tellUser && !isTerminal(1)) logger.error(reason.text);
    else logger.debug(`exit ${result.exitCode}: ${reason.text}`);
  }
  if (result.stderr) writeAll(2, result.stderr);
  // Written synchronously, then exit: a hung socket or timer must not keep docker waiting.
  writeAll(1, result.stdout);
  process.exit(result.exitCode);
}

/**
 * `get` is the hot path (docker runs it for every pull): it is answered without loading the
 * command line. Measured: commander, and the lock and atomic-write libraries that `configure`
 * imports, took more startup time than everything a cache hit does. Any other invocation (and
 * `get` with extra words) goes through cli.ts, loaded on demand; errors read the same either way.
 */
async function answer(args: readonly string[], call: Wiring): Promise<Outcome> {
  if (args.length === 1 && args[0] === 'get') {
    return call.run(async (context) => {
      try {
        return { exitCode: 0, stdout: await getAction(context), stderr: '' };
      } catch (error) {
        return failureOutput(error, 'protocol');
      }
    });
  }
  const { runCli } = await import('./cli');
  return runCli(args, call);
}

/** Routes warnings that the runtime or a dependency would print on its own to the debug log. */
function quietRuntimeWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.debug(`runtime warning: ${warning.message}`));
  // eslint-disable-next-line no-console -- replacing console.warn is how we silence the SDK's direct writes
  console.warn = (...parts: unknown[]) =>
    logger.debug(process.getBuiltinModule('node:util').format(...parts));
}
