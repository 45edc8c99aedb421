/**
 * The composition root: the only module that touches `process` (argv, env, stdio, exit code).
 */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { format } from 'node:util';
import type { ActionContext } from './actions/action-context';
import { getAction } from './actions/get';
import { loadAws } from './aws/load-aws';
import { runCall } from './compose';
import { loadConfig, type Config } from './config/load-config';
import { failureOutput, type Outcome } from './failure-output';
import { createLogger, type Logger } from './log';
import { readFd } from './protocol/read-input';

/** Runs the helper for this process and exits with its status. */
export async function main(): Promise<void> {
  const started = Date.now();
  const env = process.env;
  // The SDK warns on Node < 22 via process.emitWarning; callers show our stderr to users.
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let result: Outcome;
  let logger: Logger | undefined;
  try {
    const home = homedir();
    const config = loadConfig(env, home);
    logger = makeLogger(config);
    quietRuntimeWarnings(logger);
    // A socket or terminal on stdin cannot be read without blocking a thread: use the stream.
    const readInput = (): Promise<string> => readFd(0, { stream: () => process.stdin });
    result = await runCall({
      env,
      config,
      home,
      logger,
      loadAws,
      now: Date.now,
      startedAt: started,
      work: (call) => runCommand(process.argv.slice(2), () => ({ ...call, config, readInput })),
    });
  } catch (error) {
    result = failureOutput(error, 'protocol');
  }
  // A bad setting (ECR_TS_TIMEOUT=abc) fails before there is a logger; docker pull would then
  // show nothing of it (see failure-output.ts), so it gets the default stderr logger.
  logger ??= createLogger({ level: 'error', write: (line) => writeAll(2, line) });
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
 * Writes all of `text` to a descriptor synchronously. Plain fs writes rather than process.stdout:
 * on a pipe, creating process.stdout loads the net and stream modules (see readFd), and the
 * answer is one short line. A caller that closed its end (EPIPE) gets nothing, as with any CLI.
 */
function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text);
  let offset = 0;
  let retries = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking pipe whose buffer is full: wait a millisecond, a bounded number of times.
      if (code !== 'EAGAIN' || ++retries > 1000) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Whether a descriptor is a terminal, without loading node:tty (which loads net). */
function isTerminal(fd: number): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
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
  const { runCli } = await import('./cli');
  return runCli(args, makeContext);
}

// Non-blocking: a named pipe with no reader (or a full one) as the log file would otherwise block
// the open or the write, on the main thread, where no deadline can end it.
const LOG_FLAGS =
  constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

function makeLogger(config: Config): Logger {
  const file = config.logFile;
  const write = file
    ? (line: string) => {
        try {
          const fd = openSync(file, LOG_FLAGS, 0o600);
          try {
            writeSync(fd, line);
          } finally {
            closeSync(fd);
          }
        } catch {
          // A broken log file must never break a pull.
        }
      }
    : (line: string) => writeAll(2, line);
  return createLogger({
    level: config.logLevel,
    write,
    ...(file ? { now: () => new Date() } : {}),
  });
}

/** Routes warnings that the runtime or a dependency would print on its own to the debug log. */
function quietRuntimeWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.debug(`runtime warning: ${warning.message}`));
  // eslint-disable-next-line no-console -- replacing console.warn is how we silence the SDK's direct writes
  console.warn = (...parts: unknown[]) => logger.debug(format(...parts));
}
