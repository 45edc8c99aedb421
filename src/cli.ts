/**
 * The command line: protocol actions (get, store, erase, list, version), the commands for people
 * (configure, doctor, help) and their flags. Runs the chosen one in the composed call and
 * returns what to print and the exit status; main.ts does the printing.
 */
import { Command, CommanderError } from 'commander';
import type { ActionContext } from './actions/action-context';
import { getAction } from './actions/get';
import type { ConfigureFlags } from './commands/configure-cli';
import type { KubeletFlags } from './commands/kubelet-cli';
import type { Wiring } from './compose';
import { HelperError } from './errors';
import { failureOutput, type Outcome } from './failure-output';
import { PRODUCT, VERSION_LINE } from './product';
import { isTerminal } from './write-fd';

const ACTIONS = ['get', 'store', 'erase', 'list', 'version'];
// Commands for people at a terminal: their failures go to stderr, as any CLI's do.
const HUMAN_COMMANDS = ['configure', 'doctor', 'help'];
/** The argument kubelet provider configs pass (docs/kubelet.md). */
const KUBELET_ACTION = 'get-credentials';
const COMMANDS = [...ACTIONS, KUBELET_ACTION, ...HUMAN_COMMANDS];

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
    .usage(`<${COMMANDS.join('|')}>`)
    .version(VERSION_LINE, '-v, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show this help, or the help of a command')
    .exitOverride();
  const terminal = program.configureOutput();
  program.configureOutput({
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
    // Commander's complaints (an unknown flag) become failures below, reported like any other.
    outputError: () => undefined,
    // Help is wrapped to a terminal's width: commander asks process.stdout (or stderr), whose
    // creation costs Bun milliseconds. A descriptor that is no character device is no terminal,
    // and commander's answer is then known: no width, which its help reads as 80. The help text
    // holds no colour codes, so whether colours are allowed changes nothing off a terminal.
    getOutHelpWidth: () => (isTerminal(1) ? terminal.getOutHelpWidth?.() : undefined) ?? 80,
    getErrHelpWidth: () => (isTerminal(2) ? terminal.getErrHelpWidth?.() : undefined) ?? 80,
    getOutHasColors: () => isTerminal(1) && (terminal.getOutHasColors?.() ?? false),
    getErrHasColors: () => isTerminal(2) && (terminal.getErrHasColors?.() ?? false),
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
  // Each command's modules are loaded when it runs: `--help` and `version` load none of them.
  protocol(
    'store',
    'read credentials JSON on stdin (ECR: accepted, nothing persisted)',
    async (context) => (await import('./actions/store-erase')).storeAction(context),
  );
  protocol(
    'erase',
    'read a server URL on stdin and forget it (ECR: nothing to forget)',
    async (context) => (await import('./actions/store-erase')).eraseAction(context),
  );
  protocol(
    'list',
    'print the registries this helper answers for: configured ones and live cached tokens (stdin is not read)',
    async (context) => (await import('./actions/list')).listAction(context),
  );
  protocol('version', 'print the version', async () => `${VERSION_LINE}\n`);
  // The kubelet's image credential provider (docs/kubelet.md): failures go to stderr, which
  // is all the kubelet logs.
  protocol(
    KUBELET_ACTION,
    'kubelet image credential provider: read a CredentialProviderRequest on stdin, print the response',
    async (context) => (await import('./actions/get-credentials')).getCredentialsAction(context),
  );
  program
    .command('configure')
    .argument('[registries...]', 'ECR registries to route to this helper in credHelpers')
    .description('write this helper into the docker config (DOCKER_CONFIG or ~/.docker)')
    .option('--store', 'make it the credsStore, for every registry')
    .option(
      '--remove',
      'take it out instead: the credHelpers entries (all, or those named) and, as --unstore does, the credsStore',
    )
    .option('--unstore', 'undo --store: logins back where they came from, credsStore restored')
    .option('--dry-run', 'print what would change and write nothing')
    .option('--kubelet', "set it up as the kubelet's image credential provider instead")
    .option('--config <path>', 'with --kubelet: the CredentialProviderConfig file to write')
    .option('--bin-dir <dir>', "with --kubelet: the kubelet's provider folder")
    .option('--name <name>', 'with --kubelet: the provider name (a link to this program)')
    .action((registries: string[], flags: ConfigureFlags) => {
      action = async (context) =>
        (await import('./commands/configure-cli')).configureCommand(context, registries, flags);
    });
  program
    .command('doctor')
    .argument('[target]', 'an ECR image (host/repository:tag) or registry to check')
    .description('walk the chain from the docker config to the image and say where it breaks')
    .option('--json', 'print the report as JSON')
    .option('--kubelet', 'say what the kubelet would get for the image from this provider')
    .option('--config <path>', "with --kubelet: the kubelet's CredentialProviderConfig file")
    .option('--bin-dir <dir>', "with --kubelet: the kubelet's provider folder")
    .option('--name <name>', 'with --kubelet: the provider name')
    .action(async (target: string | undefined, flags: KubeletFlags & { json?: boolean }) => {
      const [doctor, { doctorOptionsOf }] = await Promise.all([
        import('./commands/doctor/doctor-command'),
        import('./commands/kubelet-cli'),
      ]);
      action = (context) => doctor.doctorCommand(context, doctorOptionsOf(target, flags));
      boundMs = doctor.doctorBoundMs(call.config.timeoutMs, { kubelet: flags.kubelet === true });
    });

  const first = args[0];
  if (first === undefined) {
    return { exitCode: 1, stdout: '', stderr: program.helpInformation() };
  }
  // The kubelet reads a provider's failure on stderr only.
  const audience =
    HUMAN_COMMANDS.includes(first) || first === KUBELET_ACTION ? 'human' : 'protocol';
  const failed = (error: unknown, extra = ''): Outcome => {
    const output = failureOutput(error, audience);
    return { ...output, stderr: stderr + output.stderr + extra };
  };
  const known = COMMANDS.join(', ');
  if (!first.startsWith('-') && !ACTIONS.includes(first) && audience === 'protocol') {
    const unknown = `unknown action ${JSON.stringify(first)}: expected one of ${known}`;
    return failed(new HelperError('USAGE', unknown), program.helpInformation());
  }
  const topic = args[1];
  if (first === 'help' && topic !== undefined && !COMMANDS.includes(topic)) {
    const unknown = `no help for ${JSON.stringify(topic)}: expected one of ${known}`;
    return failed(new HelperError('USAGE', unknown));
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
