/**
 * The settings of the kubelet image credential provider (`get-credentials`, docs/kubelet.md):
 * where its cache and config file live by default, its bound, and its service-account token
 * mode. Pure: env in, settings out; a bad value is one CONFIG error naming the variable.
 */
import { isAbsolute } from 'node:path';
import { isTrue, nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';
import { PRODUCT } from '../product';
import { cacheDirVariable, cacheDisabled } from './cache-switches';

/** The provider's settings beside the helper's own (Config.kubelet). */
export interface KubeletSettings {
  /** The service-account annotation that names the role to assume with the pod's token. */
  readonly roleAnnotation: string;
  /** With a token but no role for it: pull with the node's identity (else refuse, saying why). */
  readonly nodeIdentityFallback: boolean;
}

/** The role annotation the peer (Kubernetes' ecr-credential-provider) reads. */
export const DEFAULT_ROLE_ANNOTATION = 'eks.amazonaws.com/ecr-role-arn';

/**
 * The default bound of one kubelet call. The kubelet kills a provider after 60 s and then logs
 * only "context deadline exceeded"; ours must end first and say what it was waiting for, with
 * room left for a throttled fleet start to wait its turn (docs/kubelet.md).
 */
export const DEFAULT_KUBELET_TIMEOUT_MS = 45_000;
/** The longest bound allowed: the process must end, and say why, before the kubelet's minute. */
export const MAX_KUBELET_TIMEOUT_MS = 55_000;

/** The token cache of a root kubelet: one per node, whatever HOME says (or whether it is set). */
export const KUBELET_CACHE_DIR = `/var/cache/${PRODUCT}`;
/** The config file a kubelet reads when ECR_TS_CONFIG does not name one. */
export const KUBELET_CONFIG_FILE = `/etc/${PRODUCT}/config.json`;

/** True when `args` run the kubelet side: `get-credentials`, or `configure`/`doctor --kubelet`. */
export function isKubeletInvocation(args: readonly string[]): boolean {
  const [first] = args;
  if (first === 'get-credentials') return true;
  return (first === 'configure' || first === 'doctor') && args.includes('--kubelet');
}

/** Reads ECR_TS_KUBELET_ROLE_ANNOTATION and ECR_TS_KUBELET_NODE_FALLBACK. */
export function parseKubeletSettings(env: Env): KubeletSettings {
  const annotation = nonEmpty(env['ECR_TS_KUBELET_ROLE_ANNOTATION']) ?? DEFAULT_ROLE_ANNOTATION;
  if (!isAnnotationKey(annotation)) {
    throw new HelperError(
      'CONFIG',
      `invalid ECR_TS_KUBELET_ROLE_ANNOTATION ${JSON.stringify(annotation)}: expected an annotation key like ${DEFAULT_ROLE_ANNOTATION}`,
    );
  }
  return {
    roleAnnotation: annotation,
    nodeIdentityFallback: isTrue(env['ECR_TS_KUBELET_NODE_FALLBACK']),
  };
}

/**
 * The bound of a kubelet call: ECR_TS_TIMEOUT (seconds) as for `get`, but 45 s when unset and at
 * most 55 s, so every message that says to raise ECR_TS_TIMEOUT holds here too.
 */
export function parseKubeletTimeout(env: Env): number {
  const text = nonEmpty(env['ECR_TS_TIMEOUT']);
  if (text === undefined) return DEFAULT_KUBELET_TIMEOUT_MS;
  const seconds = Number(text);
  const max = MAX_KUBELET_TIMEOUT_MS / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > max) {
    throw new HelperError(
      'CONFIG',
      `invalid ECR_TS_TIMEOUT "${text}" for the kubelet: expected a number of seconds above 0 and at most ${max} (the kubelet kills a provider after 60)`,
    );
  }
  return Math.round(seconds * 1000);
}

/**
 * The kubelet's token cache folder: what the cache variables say (ECR_TS_* or AWS_ECR_*, as
 * `dockerDefault`, the helper's own choice, already holds), else KUBELET_CACHE_DIR for root, else
 * the user's own default.
 */
export function kubeletCacheDir(
  env: Env,
  euid: number,
  dockerDefault: string | null,
): string | null {
  if (cacheDisabled(env) || cacheDirVariable(env) !== undefined) return dockerDefault;
  return euid === 0 ? KUBELET_CACHE_DIR : dockerDefault;
}

/** The kubelet's config file: ECR_TS_CONFIG (explicit: it must exist), else KUBELET_CONFIG_FILE. */
export function kubeletConfigFilePath(env: Env): { path: string; explicit: boolean } {
  const explicit = nonEmpty(env['ECR_TS_CONFIG']);
  if (explicit === undefined) return { path: KUBELET_CONFIG_FILE, explicit: false };
  // The kubelet's working folder is nobody's choice: a relative name would read from wherever.
  if (!isAbsolute(explicit)) {
    throw new HelperError(
      'CONFIG',
      `invalid ECR_TS_CONFIG ${JSON.stringify(explicit)}: the kubelet needs an absolute path`,
    );
  }
  return { path: explicit, explicit: true };
}

/** A Kubernetes annotation key: an optional DNS-subdomain prefix and `/`, then a name. */
function isAnnotationKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (
    prefix !== undefined &&
    !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix)
  ) {
    return false;
  }
  if (prefix !== undefined && prefix.length > 253) return false;
  return name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}
