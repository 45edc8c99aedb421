/**
 * The composition root: the only module that touches `process` (argv, env, stdio, exit code).
 */
import type { ActionContext } from './actions/action-context';
import { getAction } from './actions/get';
import { getCredentialsAction } from './actions/get-credentials';
import { loadSdk } from './aws/load-sdk';
import { DOCTOR_STEPS } from './commands/doctor/check';
import { validationRecordIn } from './cache/validation-record';
import { runCall } from './compose';
import { loadConfig } from './config/load-config';
import { isKubeletInvocation } from './config/kubelet-settings';
import { homeForSdk } from './config/resolve-home';
import { failureOutput, type Outcome } from './failure-output';
import { createLogger, type Logger } from './log';
import { logSink } from './log-sink';
import { readFd } from './protocol/read-input';
import { createRoutes } from './routing/routes';
import { createOpenStore } from './stores/open-store';
import { isTerminal, writeAll } from './write-fd';

/** Invocations that only describe the program: they never need the config file. */
const INFO_ONLY = new Set(['version', '-v', '--version', '-h', '--help']);

/** Runs the helper for this process and exits with its status. */
export async function main(): Promise<void> {
  // The bound counts from the process's start, not from here: runtime start-up is part of the wait.
  const started = Math.floor(performance.timeOrigin);
  const env = process.env;
  // The SDK warns on Node < 22 via process.emitWarning; callers show our stderr to users.
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let result: Outcome;
  let logger: Logger | undefined;
  const args = process.argv.slice(2);
  // The kubelet's provider (docs/kubelet.md): its own defaults, and failures on stderr only.
  const kubelet = isKubeletInvocation(args);
  try {
    // Asking what this program is must work even when its config file is broken.
    const config = loadConfig(env, {
      routes: !INFO_ONLY.has(args[0] ?? '--help'),
      record: (dir) => validationRecordIn(dir, { euid: process.geteuid?.() }),
      ...(kubelet ? { kubelet: { euid: process.geteuid?.() ?? -1 } } : {}),
    });
    // The SDK reads HOME itself: it must not see an empty or relative one, nor fail without one.
    env['HOME'] = homeForSdk(env, config.home) ?? env['HOME'];
    logger = createLogger({ level: config.logLevel, ...logSink(config.logFile) });
    for (const warning of config.warnings) logger.warn(warning);
    quietRuntimeWarnings(logger);
    // A socket or terminal on stdin cannot be read without blocking a thread: use the stream.
    const readInput = (): Promise<string> => readFd(0, { stream: () => process.stdin });
    result = await runCall({
      env,
      config,
      logger,
      loadSdk,
      now: Date.now,
      startedAt: started,
      // doctor bounds each of its steps by the timeout itself; the call bounds all of them.
      boundMs:
        args[0] === 'doctor' && !kubelet ? config.timeoutMs * (DOCTOR_STEPS + 1) : config.timeoutMs,
      work: (call) =>
        runCommand(args, () => ({
          ...call,
          config,
          readInput,
          loadSdk,
          program: programFile(),
          routes: createRoutes(config.routes),
          openStore: createOpenStore({
            context: call,
            home: config.home,
            uid: process.getuid?.() ?? -1,
            // A helper resolving to the executable or the npm shim would be this program again.
            self: [process.execPath, process.argv[1] ?? ''].filter(Boolean),
          }),
        })),
    });
  } catch (error) {
    result = failureOutput(error, kubelet ? 'human' : 'protocol');
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
async function runCommand(
  args: readonly string[],
  makeContext: () => ActionContext,
): Promise<Outcome> {
  if (args.length === 1 && args[0] === 'get') {
    try {
      return { exitCode: 0, stdout: await getAction(makeContext()), stderr: '' };
    } catch (error) {
      return failureOutput(error, 'protocol');
    }
  }
  // The kubelet's hot path, the same way: its failures go to stderr, all the kubelet logs.
  if (args.length === 1 && args[0] === 'get-credentials') {
    try {
      return { exitCode: 0, stdout: await getCredentialsAction(makeContext()), stderr: '' };
    } catch (error) {
      return failureOutput(error, 'human');
    }
  }
  const { runCli } = await import('./cli');
  return runCli(args, makeContext);
}

/**
 * The file this program runs from: the npm package's bin script under Node, else the executable
 * (Bun's compiled programs name a virtual file in argv[1]). Dispatch never looks at its name.
 */
function programFile(): string {
  const script = process.argv[1];
  return script && !script.startsWith('/$bunfs/') && !('Bun' in globalThis)
    ? script
    : process.execPath;
}

/** Routes warnings that the runtime or a dependency would print on its own to the debug log. */
function quietRuntimeWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.debug(`runtime warning: ${warning.message}`));
  // eslint-disable-next-line no-console -- replacing console.warn is how we silence the SDK's direct writes
  console.warn = (...parts: unknown[]) =>
    logger.debug(process.getBuiltinModule('node:util').format(...parts));
}
