/**
 * Which variables switch the token cache off or move it, read the same way by the docker side
 * (parse-config.ts) and the kubelet's (kubelet-settings.ts): ours (ECR_TS_*) win over the reference
 * helper's (AWS_ECR_*), which Finch passes into its VM (docs/clients.md#settings).
 */
import { nonEmpty, type Env } from '../env';
import { HelperError } from '../errors';

/** The variable that names the cache folder, ours first; undefined when neither is set. */
export function cacheDirVariable(env: Env): 'ECR_TS_CACHE_DIR' | 'AWS_ECR_CACHE_DIR' | undefined {
  if (nonEmpty(env['ECR_TS_CACHE_DIR'])) return 'ECR_TS_CACHE_DIR';
  return nonEmpty(env['AWS_ECR_CACHE_DIR']) ? 'AWS_ECR_CACHE_DIR' : undefined;
}

/**
 * ECR_TS_DISABLE_CACHE when set (`true`/`false`, `1`/`0`, `yes`/`no`: `false` keeps the cache on
 * whatever AWS_ECR_DISABLE_CACHE says), else AWS_ECR_DISABLE_CACHE as the Go helper reads it: any
 * non-empty value, `false` included, turns the cache off.
 */
export function cacheDisabled(env: Env): boolean {
  const own = nonEmpty(env['ECR_TS_DISABLE_CACHE']);
  if (own === undefined) return nonEmpty(env['AWS_ECR_DISABLE_CACHE']) !== undefined;
  if (/^(true|1|yes)$/i.test(own)) return true;
  if (/^(false|0|no)$/i.test(own)) return false;
  throw new HelperError(
    'CONFIG',
    `invalid ECR_TS_DISABLE_CACHE "${own}": expected true or false (or 1/0, yes/no)`,
  );
}
