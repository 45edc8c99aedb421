/**
 * The command line: protocol actions (get, store, erase, list, version) and their flags. Returns
 * what to print and the exit status; the composition root does the printing.
 */
import { Command, CommanderError } from 'commander';
import type { ActionContext } from './actions/context';
import { getAction } from './actions/get';
import { listAction } from './actions/list';
import { eraseAction, storeAction } from './actions/store-erase';
import { configure, formatConfigureReport } from './commands/configure';
import { PRODUCT } from './config/load-config';
import { HelperError, toHelperError } from './errors';
import { VERSION } from './version';

/** What one invocation printed and how it exits. */
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The single `version` line: name, source, version. */
export const VERSION_LINE = `${PRODUCT} (npm:${PRODUCT}) ${VERSION}`;

const ACTIONS = ['get', 'store', 'erase', 'list', 'version'];
// Commands for people at a terminal: their failures go to stderr, as any CLI's do.
const HUMAN_COMMANDS = ['configure'];

/** Parses argv (without node and script) and runs the chosen action. */
export async function runCli(
  args: readonly string[],
  makeContext: () => ActionContext,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let action: ((context: ActionContext) => Promise<string>) | undefined;
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
  protocol('list', 'print the registries with a live cached token (stdin is not read)', listAction);
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
          }),
        );
    });

  const first = args[0];
  if (first === undefined) {
    return { exitCode: 1, stdout: '', stderr: program.helpInformation() };
  }
  const human = HUMAN_COMMANDS.includes(first);
  if (!first.startsWith('-') && !ACTIONS.includes(first) && !human) {
    return {
      exitCode: 1,
      stdout: `unknown action ${JSON.stringify(first)}: expected one of ${ACTIONS.join(', ')}\n`,
      stderr: program.helpInformation(),
    };
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; bad flags with 1 and usage on stderr.
      if (error.exitCode === 0) return { exitCode: 0, stdout, stderr };
      // Commander already wrote the complaint to stderr; a protocol caller reads stdout.
      if (human) return { exitCode: 1, stdout, stderr };
      return { exitCode: 1, stdout: `${error.message.replace(/^error: /, '')}\n`, stderr };
    }
    throw error;
  }
  if (!action) return { exitCode: 1, stdout, stderr: stderr + program.helpInformation() };
  try {
    return { exitCode: 0, stdout: await action(makeContext()), stderr };
  } catch (error) {
    const text = `${errorText(error)}\n`;
    return human
      ? { exitCode: 1, stdout: '', stderr: `${stderr}${PRODUCT}: error: ${text}` }
      : { exitCode: 1, stdout: text, stderr };
  }
}

/** The one place a failure becomes protocol text. */
export function errorText(error: unknown): string {
  const helperError: HelperError = toHelperError(error);
  return helperError.message;
}
