/**
 * `configure --remove` (install.sh --uninstall runs it; docs/configure.md#taking-it-out-configure---remove):
 * takes this helper out of docker's config so that docker keeps working without it. Our
 * credHelpers entries leave the file; a credsStore of ours is undone the way --unstore undoes it
 * (unstore.ts), in the same write: the logins docker read through this helper go back where
 * docker will look, so none is stranded in a store docker no longer reads.
 */
import { quote, quoteServerUrl } from '../quote';
import type { CredentialStore } from '../stores/credential-store';
import { prunedLine } from './config-backups';
import { dockerConfigFile } from './docker-config-file';
import {
  decode,
  editUntilStable,
  readConfig,
  resolveLink,
  withLockedConfig,
} from './edit-config-file';
import { planConfigure, type ConfigureChange } from './plan-configure';
import {
  erasedLines,
  finishedLines,
  undoLines,
  undoStore,
  type AlsoEdit,
  type UnstoreOptions,
  type UnstoreReport,
} from './unstore';

/** Inputs of one `configure --remove` run. */
export interface RemoveOptions extends UnstoreOptions {
  /** Only these registries' credHelpers entries (and credsStore only with `store`). */
  readonly registries: readonly string[];
  readonly store: boolean;
  /** Where the built-in file store is (null: nowhere), to say what it still holds. */
  readonly fileStorePath: string | null;
}

/** What `--remove` did (or would do); never a secret. */
export interface RemoveReport {
  readonly file: string;
  readonly dryRun: boolean;
  /** The credsStore part, when credsStore was in scope (no registries named, or --store). */
  readonly undo: UnstoreReport | null;
  /** The credHelpers entries removed. */
  readonly changes: readonly ConfigureChange[];
  readonly rewrites: boolean;
  readonly backup: string | null;
  readonly prunedBackups: readonly string[];
  /** Logins the file store still holds afterwards, which docker does not read. */
  readonly fileStore: { readonly path: string; readonly servers: readonly string[] } | null;
}

/** Takes the helper out of the docker config of `env`. */
export async function removeHelper(options: RemoveOptions): Promise<RemoveReport> {
  const file = dockerConfigFile(options.env);
  const helpers: AlsoEdit = (text) =>
    planConfigure(
      text,
      { registries: options.registries, store: options.store, remove: true },
      file,
    );
  helpers('{}'); // a registry that is not ECR is refused before anything is read or moved
  const credsStoreToo = options.registries.length === 0 || options.store;
  const report = credsStoreToo
    ? fromUndo(await undoStore(file, { ...options, command: 'configure --remove' }, helpers))
    : await removeHelpersOnly(file, options, helpers);
  return { ...report, fileStore: await fileStoreLeft(options, report.undo) };
}

function fromUndo(undo: UnstoreReport): Omit<RemoveReport, 'fileStore'> {
  return {
    file: undo.file,
    dryRun: undo.dryRun,
    undo,
    changes: undo.alsoChanges,
    rewrites: undo.rewrites,
    backup: undo.backup,
    prunedBackups: undo.prunedBackups,
  };
}

/** `configure --remove REGISTRY...`: those credHelpers entries only; credsStore stays. */
async function removeHelpersOnly(
  file: string,
  options: RemoveOptions,
  helpers: AlsoEdit,
): Promise<Omit<RemoveReport, 'fileStore'>> {
  const base = { file, dryRun: options.dryRun, undo: null };
  if (options.dryRun) {
    const plan = helpers(decode(readConfig(resolveLink(file)), file));
    const none = { backup: null, prunedBackups: [] };
    return { ...base, ...none, changes: plan.changes, rewrites: plan.text !== null };
  }
  const progress = options.progress ?? { step: '' };
  const edited = await withLockedConfig(file, progress, async () => {
    progress.step = `updating ${file}`;
    return editUntilStable({
      file,
      now: options.now,
      round: async (text) => {
        const plan = helpers(text);
        return { text: plan.text, result: plan };
      },
    });
  });
  return {
    ...base,
    changes: edited.result.changes,
    rewrites: edited.wrote,
    backup: edited.backup,
    prunedBackups: edited.prunedBackups,
  };
}

/**
 * The servers the file store holds after the run (a dry run: those it would still hold), when it
 * holds any: logins that stayed because auths already had another login for their server, or
 * that were there while the file store was not docker's way in.
 */
async function fileStoreLeft(
  options: RemoveOptions,
  undo: UnstoreReport | null,
): Promise<RemoveReport['fileStore']> {
  const path = options.fileStorePath;
  if (path === null) return null;
  const store: CredentialStore = options.openStore({ kind: 'file' });
  let servers = Object.keys(await store.list());
  if (options.dryRun && undo?.fallback === 'file') {
    const going = undo.moved
      .map((login) => login.serverUrl)
      .filter((url) => !undo.left.some((left) => left.serverUrl === url));
    servers = servers.filter((url) => !going.includes(url));
  }
  return servers.length > 0 ? { path, servers } : null;
}

/** The report as the lines a person reads in a terminal. */
export function formatRemoveReport(report: RemoveReport): string {
  const lines: string[] = [];
  const would = report.dryRun ? 'would ' : '';
  const { undo } = report;
  if (undo) {
    lines.push(...finishedLines(undo));
    if (undo.notOurs === undefined) lines.push(...undoLines(undo));
  }
  for (const change of report.changes) lines.push(`${would}remove ${change.key} (was "ecr-ts")`);
  if (!report.rewrites) lines.push(`${report.file} names no ecr-ts entry, not rewritten`);
  else if (report.dryRun) lines.push(`dry run: ${report.file} not written`);
  else {
    const backup = report.backup ? ` (previous file saved as ${report.backup})` : '';
    lines.push(`wrote ${report.file}${backup}`);
  }
  if (undo) lines.push(...erasedLines(undo));
  lines.push(...prunedLine(report.file, report.prunedBackups));
  const destination = undo?.notOurs === undefined ? undo?.destination : undefined;
  if (undo && destination?.kind === 'helper' && destination.name === undo.fallback) {
    const was = undo.previousCredsStore === destination.name ? 'again' : 'now';
    const is = report.dryRun ? 'would be' : 'is';
    lines.push(
      `credsStore ${is} ${quote(destination.name)} ${was}: the fallback store, which holds the logins docker saved while ecr-ts was the credsStore`,
    );
  }
  const store = report.fileStore;
  if (store) {
    const count = store.servers.length;
    lines.push(
      `left the file store ${store.path}: ${count} login${count === 1 ? '' : 's'} (${store.servers.map(quoteServerUrl).join(', ')}) that docker does not read. It is plain JSON: docker login again where you need one, then delete the file`,
    );
  }
  return `${lines.join('\n')}\n`;
}
