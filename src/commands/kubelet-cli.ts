/**
 * The kubelet forms of `configure` and `doctor` as the command line gives them (docs/kubelet.md):
 * their flags checked and turned into the commands' options, so cli.ts only declares the flags.
 */
import type { ActionContext } from '../actions/action-context';
import { HelperError } from '../errors';
import { configureKubelet, formatKubeletReport } from './configure-kubelet';
import type { DoctorCommandOptions } from './doctor/doctor-command';

/** The flags `configure` and `doctor` take for the kubelet. */
export interface KubeletFlags {
  kubelet?: boolean;
  config?: string;
  binDir?: string;
  name?: string;
  dryRun?: boolean;
  store?: boolean;
  remove?: boolean;
  json?: boolean;
}

/** --config, --bin-dir and --name mean something only with --kubelet. */
export function refuseKubeletFlags(flags: KubeletFlags): void {
  const given = [
    ...(flags.config !== undefined ? ['--config'] : []),
    ...(flags.binDir !== undefined ? ['--bin-dir'] : []),
    ...(flags.name !== undefined ? ['--name'] : []),
  ];
  if (given.length > 0) throw new HelperError('USAGE', `${given.join(', ')}: only with --kubelet`);
}

/** `configure --kubelet`: the provider set up from this program and its settings; the report. */
export async function configureKubeletCommand(
  context: ActionContext,
  registries: readonly string[],
  flags: KubeletFlags,
): Promise<string> {
  if (registries.length > 0 || flags.store || flags.remove) {
    throw new HelperError(
      'USAGE',
      'configure --kubelet takes no registries, no --store and no --remove: the kubelet runs it for every ECR host and every route of the config file',
    );
  }
  const report = await configureKubelet({
    ...where(flags),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    program: context.program,
    routes: context.config.routes,
    cacheDir: context.config.cacheDir,
    env: context.env,
    dryRun: flags.dryRun === true,
    now: () => new Date(),
    progress: context.progress,
  });
  return formatKubeletReport(report);
}

/** doctor's options from its argument and flags: --config, --bin-dir and --name need --kubelet. */
export function doctorOptionsOf(
  target: string | undefined,
  flags: KubeletFlags,
): DoctorCommandOptions {
  const json = flags.json === true;
  if (!flags.kubelet) {
    refuseKubeletFlags(flags);
    return { target, json };
  }
  return {
    target,
    json,
    kubelet: { ...where(flags), ...(flags.name !== undefined ? { name: flags.name } : {}) },
  };
}

function where(flags: KubeletFlags): { configFile?: string; binDir?: string } {
  return {
    ...(flags.config !== undefined ? { configFile: flags.config } : {}),
    ...(flags.binDir !== undefined ? { binDir: flags.binDir } : {}),
  };
}
