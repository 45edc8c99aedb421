/**
 * `configure` as the command line gives it: its flags checked and turned into one of its forms,
 * so cli.ts only declares the flags. The forms: set (configure.ts: credHelpers, --store),
 * `--remove` (remove.ts), `--unstore` (unstore.ts) and `--kubelet` (kubelet-cli.ts).
 */
import type { ActionContext } from '../actions/action-context';
import { HelperError } from '../errors';
import { fileStorePathOrNull } from '../stores/file-store-path';
import { configure, formatConfigureReport } from './configure';
import { configureKubeletCommand, refuseKubeletFlags, type KubeletFlags } from './kubelet-cli';
import { formatRemoveReport, removeHelper } from './remove';
import { formatUnstoreReport, unstore } from './unstore';

/** The flags of `configure`. */
export interface ConfigureFlags extends KubeletFlags {
  unstore?: boolean;
}

/** Runs the form of `configure` the flags choose; returns its report. */
export async function configureCommand(
  context: ActionContext,
  registries: readonly string[],
  flags: ConfigureFlags,
): Promise<string> {
  if (flags.kubelet) {
    if (flags.unstore) throw new HelperError('USAGE', 'configure --kubelet takes no --unstore');
    return configureKubeletCommand(context, registries, flags);
  }
  refuseKubeletFlags(flags);
  const common = {
    dryRun: flags.dryRun === true,
    env: context.env,
    now: () => new Date(),
    progress: context.progress,
    home: context.config.home,
    openStore: context.openStore,
  };
  if (flags.unstore) {
    // It undoes --store as a whole; --remove is the form that also takes credHelpers out.
    if (registries.length > 0 || flags.store || flags.remove) {
      throw new HelperError(
        'USAGE',
        'configure --unstore takes no registry and no --store (nor --remove, which undoes --store too)',
      );
    }
    return formatUnstoreReport(await unstore(common));
  }
  if (flags.remove) {
    return formatRemoveReport(
      await removeHelper({
        ...common,
        registries,
        store: flags.store === true,
        fileStorePath: fileStorePathOrNull(context.env, context.config.home),
      }),
    );
  }
  return formatConfigureReport(
    await configure({ ...common, registries, store: flags.store === true }),
  );
}
