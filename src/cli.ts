/**
 * The command line: protocol actions (get, store, erase, list, version), the human commands
 * (configure, doctor) and their flags. Runs the chosen one in the composed call and returns what
 * to print and the exit status; main.ts does the printing.
 */
import { Command, CommanderError } from 'commander';
import type { ActionContext } from './actions/action-context';
import { getAction } from './actions/get';
import { listAction } from './actions/list';
import { eraseAction, storeAction } from './actions/store-erase';
import { configure, formatConfigureReport } from './commands/configure';
import { doctorBoundMs, doctorCommand } from './commands/doctor/doctor-command';
import type { Wiring } from './compose';
import { HelperError } from './errors';
import { failureOutput, type Outcome } from './failure-output';
import { PRODUCT, VERSION } from './product';

/** The single `version` line: name, source, version. */
const VERSION_LINE = `${PRODUCT} (npm:${PRODUCT}) ${VERSION}`;

const ACTIONS = ['get', 'store', 'erase', 'list', 'version'];
// Commands for people at a terminal: their failures go to stderr, as any CLI's do.
const HUMAN_COMMANDS = ['configure', 'doctor'];

/** A command: its stdout (exit 0), or a whole Outcome when it sets the status itself. */
type Action = (context: ActionContext) => Promise<string | Outcome>;

/** Parses argv (without node and script) and runs the chosen action in `call`. */
export async function runCli(args: readonly string[], call: Wiring): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  let action: Action | undefined;
  // The call's bound, when the command needs another than the timeout.
  let boundMs: number | undefined;
  const program = new Command(PRODUCT)
    .description('Docker credential helper for Amazon ECR and ECR Public')
    .usage('<get|store|erase|list|version>')
    .version(VERSION_LINE, '-v, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => (stdout += text),
      writeErr: (text) => (stderr += text),
      // Commander's complaints (an unknown flag) become failures below, reported like any other.
      outputError: () => undefined,
    });
  const protocol = (name: string, summary: string, run: (c: ActionContext) => Promise<string>) =>
    program
      .command(name)
      .description(summary)
      .allowExcessArguments(true)
      .action(() => {
        action = run;
      });
  protocol('get', 'read a server URL on stdin, print its credentials as JSON', getAction);
  protocol(
    'store',
    'read credentials JSON on stdin (ECR: accepted, nothing persisted)',
    storeAction,
  );
  protocol(
    'erase',
    'read a server URL on stdin and forget it (ECR: nothing to forget)',
    eraseAction,
  );
  protocol(
    'list',
    'print the registries this helper answers for: configured ones and live cached tokens (stdin is not read)',
    listAction,
  );
  protocol('version', 'print the version', async () => `${VERSION_LINE}\n`);
  program
    .command('configure')
    .argument('[registries...]', 'ECR registries to route to this helper in credHelpers')
    .description('write this helper into the docker config (DOCKER_CONFIG or ~/.docker)')
    .option('--store', 'make it the credsStore, for every registry')
    .option('--dry-run', 'print what would change and write nothing')
    .action((registries: string[], flags: { store?: boolean; dryRun?: boolean }) => {
      action = async (context) =>
        formatConfigureReport(
          await configure({
            registries,
            store: flags.store === true,
            dryRun: flags.dryRun === true,
            env: context.env,
            now: () => new Date(),
            progress: context.progress,
            home: context.config.home,
            openStore: context.openStore,
          }),
        );
    });
  program
    .command('doctor')
    .argument('[target]', 'an ECR image (host/repository:tag) or registry to check')
    .description('walk the chain from the docker config to the image and say where it breaks')
    .option('--json', 'print the report as JSON')
    .action((target: string | undefined, flags: { json?: boolean }) => {
      action = (context) => doctorCommand(context, { target, json: flags.json === true });
      boundMs = doctorBoundMs(call.config.timeoutMs);
    });

  const first = args[0];
  if (first === undefined) {
    return { exitCode: 1, stdout: '', stderr: program.helpInformation() };
  }
  const audience = HUMAN_COMMANDS.includes(first) ? 'human' : 'protocol';
  const failed = (error: unknown, extra = ''): Outcome => {
    const output = failureOutput(error, audience);
    return { ...output, stderr: stderr + output.stderr + extra };
  };
  if (!first.startsWith('-') && !ACTIONS.includes(first) && audience === 'protocol') {
    const known = ACTIONS.join(', ');
    const unknown = `unknown action ${JSON.stringify(first)}: expected one of ${known}`;
    return failed(new HelperError('USAGE', unknown), program.helpInformation());
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end here with exit code 0; bad flags with 1.
    if (error.exitCode === 0) return { exitCode: 0, stdout, stderr };
    return failed(new HelperError('USAGE', error.message.replace(/^error: /, '')));
  }
  const chosen = action;
  if (!chosen) return { exitCode: 1, stdout, stderr: stderr + program.helpInformation() };
  // Past the bound, run() rejects: main.ts reports that as any protocol failure.
  return call.run(async (context) => {
    try {
      const answer = await chosen(context);
      if (typeof answer === 'string') return { exitCode: 0, stdout: answer, stderr };
      return { ...answer, stderr: stderr + answer.stderr };
    } catch (error) {
      return failed(error);
    }
  }, boundMs);
}
