/**
 * `configure --kubelet [--config PATH] [--bin-dir DIR] [--name NAME] [--dry-run]` (docs/kubelet.md):
 * links this program into the kubelet's provider folder under NAME, then writes (or minimally
 * edits, after a backup) the CredentialProviderConfig that makes the kubelet run it for every ECR
 * host form and every host the config file routes, and prints the two kubelet flags. The link
 * comes first: a config naming a provider that is not there stops the kubelet from starting.
 */
import {
  accessSync,
  closeSync,
  constants,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Progress } from '../call-context';
import { nonEmpty, type Env } from '../env';
import { errorCode } from '../error-code';
import { HelperError } from '../errors';
import { makeDirSync, UnsafeFolderError } from '../fs/make-dir';
import type { FileVersion } from '../fs/read-regular-file';
import { realPathOf } from '../fs/real-path';
import { PRODUCT } from '../product';
import { matchImageCovers } from '../protocol/kubelet-match-image';
import { quote } from '../quote';
import { ECR_MATCH_IMAGES } from '../registry/ecr-match-images';
import type { RouteTable } from '../routing/route-table';
import { editUntilStable, readConfig, resolveLink, withLockedConfig } from './edit-config-file';
import { prunedLine } from './config-backups';
import { planKubeletConfig, type ProviderEnv } from './plan-kubelet-config';

/** Where configure --kubelet writes when not told: the kubelet has no default of its own. */
export const DEFAULT_KUBELET_PROVIDER_CONFIG =
  '/etc/kubernetes/image-credential-provider-config.json';
/** The provider folder when not told (Talos's extensions use the same one). */
export const DEFAULT_KUBELET_BIN_DIR = '/usr/local/lib/kubelet/credentialproviders';

/** Settings the provider's `env` carries over when set where configure runs. */
const CARRIED_ENV = [
  'ECR_TS_KUBELET_ROLE_ANNOTATION',
  'ECR_TS_KUBELET_NODE_FALLBACK',
  'ECR_TS_TIMEOUT',
  'ECR_TS_LOG_LEVEL',
];

/** What one run needs; effects on the file system are its own, the clock is passed in. */
export interface ConfigureKubeletOptions {
  readonly configFile?: string;
  readonly binDir?: string;
  readonly name?: string;
  /** The file this program runs from (what the provider link points to). */
  readonly program: string | undefined;
  /** The routes of the config file the kubelet will read (their hosts join matchImages). */
  readonly routes: RouteTable;
  /** The token cache folder the kubelet will use (null: caching off). */
  readonly cacheDir: string | null;
  readonly env: Env;
  readonly dryRun: boolean;
  readonly now: () => Date;
  readonly progress?: Progress;
}

/** What was (or would be) done. */
export interface ConfigureKubeletReport {
  readonly configFile: string;
  readonly binDir: string;
  readonly link: { readonly path: string; readonly target: string; readonly made: boolean };
  readonly changes: readonly string[];
  readonly others: readonly string[];
  readonly backup: string | null;
  /** Older backups removed (the newest few are kept, config-backups.ts). */
  readonly prunedBackups: readonly string[];
  readonly written: boolean;
  readonly dryRun: boolean;
  /** The program is the npm package's script: the kubelet's PATH must have Node. */
  readonly needsNode: boolean;
}

/** Links the provider and writes its config. */
export async function configureKubelet(
  options: ConfigureKubeletOptions,
): Promise<ConfigureKubeletReport> {
  const configFile = absolute(options.configFile ?? DEFAULT_KUBELET_PROVIDER_CONFIG, '--config');
  const binDir = absolute(options.binDir ?? DEFAULT_KUBELET_BIN_DIR, '--bin-dir');
  const name = options.name ?? PRODUCT;
  checkName(name);
  const program = programOf(options.program);
  const progress = options.progress ?? { step: '' };
  const wanted = {
    name,
    matchImages: matchImagesFor(options.routes),
    env: providerEnv(options),
  };
  const base = { configFile, binDir, dryRun: options.dryRun, needsNode: isScript(program) };
  const linkPath = join(binDir, name);
  // Made unless the path already leads to `program` (a link to it, or the file itself).
  const made = realPathOf(linkPath) !== program;
  // Planned once before anything is touched: a file we cannot edit leaves everything as it was.
  const planText = (text: string) => planKubeletConfig(text, wanted, configFile, matchImageCovers);
  const preview = planText(readText(readConfig(resolveLink(configFile)), configFile));
  if (made) refuseOccupied(linkPath);
  if (options.dryRun) {
    return {
      ...base,
      link: { path: linkPath, target: program, made },
      changes: preview.changes,
      others: preview.others,
      backup: null,
      prunedBackups: [],
      written: false,
    };
  }
  progress.step = `linking ${linkPath}`;
  if (made) makeLink(binDir, linkPath, program);
  // The shared edit (edit-config-file.ts): folder, lock, backup, retried while others write.
  const edited = await withLockedConfig(configFile, progress, async () => {
    progress.step = `updating ${configFile}`;
    return editUntilStable({
      file: configFile,
      now: options.now,
      // The kubelet reads it as root; nothing in it is secret.
      newFileMode: 0o644,
      readText,
      round: async (text) => {
        const planned = planText(text);
        return { text: planned.text, result: planned };
      },
    });
  });
  return {
    ...base,
    link: { path: linkPath, target: program, made },
    changes: edited.result.changes,
    others: edited.result.others,
    backup: edited.backup,
    prunedBackups: edited.prunedBackups,
    written: edited.wrote,
  };
}

/** The report as lines for a terminal, ending with the kubelet flags to set. */
export function formatKubeletReport(report: ConfigureKubeletReport): string {
  const would = report.dryRun ? 'would ' : '';
  const lines: string[] = [];
  const { link } = report;
  lines.push(
    link.made
      ? `${would}link ${link.path} -> ${link.target}`
      : `already linked: ${link.path} -> ${link.target}`,
  );
  for (const change of report.changes) lines.push(`${would}${change}`);
  if (report.changes.length === 0) {
    lines.push(`${report.configFile} already up to date, not rewritten`);
  } else if (report.dryRun) {
    lines.push(`dry run: ${report.configFile} not written`);
  } else {
    const backup = report.backup ? ` (previous file saved as ${report.backup})` : '';
    lines.push(`wrote ${report.configFile}${backup}`);
  }
  lines.push(...prunedLine(report.configFile, report.prunedBackups));
  for (const other of report.others) {
    lines.push(
      `note: provider ${quote(other)} also matches ECR images: the kubelet runs both and tries ${PRODUCT}'s answer first; remove it to switch over completely`,
    );
  }
  if (report.needsNode) {
    lines.push(
      `note: ${link.target} is the npm package's script: the kubelet's PATH must find Node 20.19 or later (the standalone executable needs nothing)`,
    );
  }
  lines.push(
    'the kubelet needs these two flags (in its systemd drop-in or config), then a restart:',
    `  --image-credential-provider-config=${report.configFile}`,
    `  --image-credential-provider-bin-dir=${report.binDir}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Every ECR host form, then the hosts of the config file's routes that answer something. */
function matchImagesFor(routes: RouteTable): string[] {
  const images = [...ECR_MATCH_IMAGES];
  for (const { key, route } of routes.entries()) {
    // An anonymous route answers nothing: no reason for the kubelet to run us for it.
    if (route.kind === 'anonymous' || images.includes(key)) continue;
    const covered = ECR_MATCH_IMAGES.some((pattern) => matchImageCovers(pattern, key));
    if (!covered) images.push(key);
  }
  return images;
}

/** The provider's env: where the cache and the config file are, and settings given here. */
function providerEnv(options: ConfigureKubeletOptions): ProviderEnv[] {
  const env: ProviderEnv[] = options.cacheDir
    ? [{ name: 'AWS_ECR_CACHE_DIR', value: options.cacheDir }]
    : [{ name: 'AWS_ECR_DISABLE_CACHE', value: 'true' }];
  // Named only when there is a file: a named file that is missing fails every pull.
  if (options.routes.file !== null) env.push({ name: 'ECR_TS_CONFIG', value: options.routes.file });
  for (const name of CARRIED_ENV) {
    const value = nonEmpty(options.env[name]);
    if (value !== undefined) env.push({ name, value });
  }
  return env;
}

/** The kubelet's own rules for a provider name, and a plain file name. */
function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new HelperError(
      'USAGE',
      `invalid --name ${quote(name)}: expected a file name of letters, digits, ".", "_" and "-"`,
    );
  }
}

function absolute(path: string, flag: string): string {
  if (!isAbsolute(path)) {
    throw new HelperError('USAGE', `${flag} needs an absolute path, got ${quote(path)}`);
  }
  return path;
}

function programOf(program: string | undefined): string {
  if (!program) {
    throw new HelperError('INTERNAL', 'internal error: the path of this program is not known');
  }
  try {
    accessSync(program, constants.X_OK);
    return realpathSync(program);
  } catch (error) {
    throw new HelperError(
      'CONFIG',
      `cannot link the kubelet to ${program} (${errorCode(error)}): run configure --kubelet from the installed executable`,
    );
  }
}

/** Refuses a provider path that something other than this program already has. */
function refuseOccupied(path: string): void {
  try {
    lstatSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw fsError('inspect', path, error);
  }
  throw new HelperError(
    'CONFIG',
    `${path} exists and is not ${PRODUCT}: remove it (or move it aside), or choose another provider name with --name`,
  );
}

function makeLink(binDir: string, path: string, program: string): void {
  ensureFolder(binDir);
  try {
    symlinkSync(program, path);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') refuseOccupied(path);
    throw fsError('create the link', path, error);
  }
}

/**
 * A folder the kubelet's files go in: used as it is when it exists (the system's), else made with
 * the bounded mkdir (0700: only the kubelet, root, reads it), refusing what private-folder.ts
 * refuses on the way.
 */
function ensureFolder(dir: string): void {
  try {
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) makeDirSync(dir);
  } catch (error) {
    if (error instanceof UnsafeFolderError) {
      throw new HelperError('CONFIG', `cannot use the folder ${dir}: ${error.message}`);
    }
    throw fsError('create the folder', dir, error);
  }
}

/** True when the program starts with `#!`: the npm bin script, run by Node. */
function isScript(program: string): boolean {
  try {
    const fd = openSync(program, 'r');
    try {
      const head = Buffer.alloc(2);
      readSync(fd, head, 0, 2, 0);
      return head.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function readText(version: FileVersion | null, file: string): string {
  if (version === null) return '';
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(version.bytes);
  } catch {
    throw new HelperError(
      'CONFIG',
      `${file} is not valid UTF-8; configure --kubelet left it untouched`,
    );
  }
}

function fsError(what: string, path: string, error: unknown): HelperError {
  return new HelperError('CONFIG', `cannot ${what} ${path} (${errorCode(error)})`, {
    cause: error,
  });
}
