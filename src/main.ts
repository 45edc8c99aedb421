/**
 * The executable's entry: the only module that touches `process` (argv, env, stdio, exit code).
 * It hands what it read to compose.ts, answers, prints and exits.
 */
import type { ActionContext } from './actions/action-context';
import { bunRuntime } from './bun-runtime';
import { getAction } from './actions/get';
import { compose, type Wiring } from './compose';
import { isKubeletInvocation } from './config/kubelet-settings';
import { homeForSdk } from './config/resolve-home';
import { failureOutput, type Audience, type Outcome } from './failure-output';
import { HELP_TEXT } from './help-text';
import { createLogger, type Logger } from './log';
import { logSink } from './log-sink';
import { VERSION_LINE } from './product';
import { readFd, type InputChunk } from './protocol/read-input';
import { isTerminal, writeAll } from './write-fd';

/** Invocations that only describe the program: they never need the config file. */
const INFO_ONLY = new Set(['version', '-v', '--version', '-h', '--help', 'help']);

/** Runs the helper for this process and exits with its status. */
export async function main(): Promise<void> {
  const env = process.env;
  // The SDK warns on Node < 22 via process.emitWarning; callers show our stderr to users.
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const args = process.argv.slice(2);
  let result: Outcome;
  let logger: Logger | undefined;
  // The kubelet's provider (docs/kubelet.md): its own defaults, and failures on stderr only.
  const kubelet = isKubeletInvocation(args);
  try {
    const call = compose({
      env,
      // The bound counts from the process's start, not from here: runtime start-up is part of the
      // wait. From process.uptime(): on Node, `performance` loads perf_hooks (about 1 ms).
      startedAt: Math.floor(Date.now() - process.uptime() * 1000),
      // A socket or terminal on stdin cannot be read without blocking a thread: use the stream.
      readInput: () => readFd(0, { stream: stdinStream }),
      uid: process.getuid?.() ?? -1,
      // A helper resolving to the executable or the npm shim would be this program again.
      self: [process.execPath, process.argv[1] ?? ''].filter(Boolean),
      // Asking what this program is must work even when its config file is broken.
      routes: !INFO_ONLY.has(args[0] ?? '--help'),
      // doctor writes nothing (docs/doctor.md): it checks the config file whole, and records nothing.
      ...(args[0] === 'doctor' ? {} : { recordChecked: { euid: process.geteuid?.() } }),
      // The kubelet's side (docs/kubelet.md): its own defaults, and its config file's checks.
      ...(kubelet ? { kubelet: { euid: process.geteuid?.() ?? -1 } } : {}),
      program: programFile(),
    });
    logger = call.logger;
    // The SDK reads HOME itself: it must not see an empty or relative one, nor fail without one.
    env['HOME'] = homeForSdk(env, call.config.home) ?? env['HOME'];
    quietRuntimeWarnings(logger);
    result = await answer(args, call);
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
 * `get` is the hot path (docker runs it for every pull), and `get-credentials` the kubelet's (it
 * runs it for every image pull it has no cached answer for): both are answered without loading
 * the command line, and so are `list` (docker build lists before every build), `version` and
 * help (what scripts run to check an install). Measured: commander, and the lock and
 * atomic-write libraries that `configure` imports, took more startup time than everything a
 * cache hit does. Any other invocation (and any of these with extra words) goes through cli.ts,
 * loaded on demand; answers and errors read the same either way (test/unit/cli.test.ts and
 * test/unit/help-text.test.ts compare them).
 */
async function answer(args: readonly string[], call: Wiring): Promise<Outcome> {
  // What commander's version option prints, without loading commander (scripts check installs so).
  if (args.length === 1 && VERSION_FLAGS.has(args[0] ?? '')) {
    return { exitCode: 0, stdout: `${VERSION_LINE}\n`, stderr: '' };
  }
  // Commander's help as it prints it off a terminal; at one, it wraps to the terminal's width.
  if (args.length === 1 && HELP_ARGS.has(args[0] ?? '') && !isTerminal(1)) {
    return { exitCode: 0, stdout: HELP_TEXT, stderr: '' };
  }
  const hot = args.length === 1 ? HOT_PATHS.get(args[0] ?? '') : undefined;
  if (hot) {
    return call.run(async (context) => {
      try {
        return { exitCode: 0, stdout: await hot.action(context), stderr: '' };
      } catch (error) {
        return failureOutput(error, hot.audience);
      }
    });
  }
  const { runCli } = await import('./cli');
  return runCli(args, call);
}

/** The flags cli.ts gives commander's version option. */
const VERSION_FLAGS = new Set(['-v', '--version']);
/** cli.ts's help option and help command. */
const HELP_ARGS = new Set(['-h', '--help', 'help']);

/**
 * The actions answered without cli.ts, and who reads their failures: as cli.ts answers them
 * (there, too, `version` and `list` are protocol actions run in the call's bound).
 */
const HOT_PATHS = new Map<string, HotPath>([
  ['get', { action: getAction, audience: 'protocol' }],
  // docker build lists before every build, and scripts check an install with `version`.
  ['version', { action: async () => `${VERSION_LINE}\n`, audience: 'protocol' }],
  [
    'list',
    {
      action: async (context) => (await import('./actions/list')).listAction(context),
      audience: 'protocol',
    },
  ],
  // The kubelet logs a provider's stderr, and ignores its stdout on a failure (docs/kubelet.md).
  // Loaded on demand: a docker `get` never evaluates the kubelet's request and response modules.
  [
    'get-credentials',
    {
      action: async (context) =>
        (await import('./actions/get-credentials')).getCredentialsAction(context),
      audience: 'human',
    },
  ],
]);

interface HotPath {
  readonly action: (context: ActionContext) => Promise<string>;
  readonly audience: Audience;
}

/**
 * The file this program runs from: the npm package's bin script under Node, else the executable
 * (Bun's compiled programs name a virtual file in argv[1]). Dispatch never looks at its name.
 */
function programFile(): string {
  const script = process.argv[1];
  return script && !script.startsWith('/$bunfs/') && !bunRuntime() ? script : process.execPath;
}

/**
 * stdin as a stream, for a socket (Node's child_process hands its children socket pairs, so
 * Testcontainers and any Node caller give us one) or a terminal. Under Bun, its own reader: Node's
 * process.stdin builds a net.Socket and its stream modules there, measured at about 4 ms of a
 * cache hit against 0.3 ms (docs/benchmarks.md). Either waits in the event loop, never in a
 * thread's read(2): the call's deadline still ends it.
 */
function stdinStream(): AsyncIterable<InputChunk> {
  return bunRuntime()?.stdin.stream() ?? process.stdin;
}

/** Routes warnings that the runtime or a dependency would print on its own to the debug log. */
function quietRuntimeWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.debug(`runtime warning: ${warning.message}`));
  // eslint-disable-next-line no-console -- replacing console.warn is how we silence the SDK's direct writes
  console.warn = (...parts: unknown[]) =>
    logger.debug(process.getBuiltinModule('node:util').format(...parts));
}
