/** Whether the environment names a proxy at all; the proxy code is loaded only then. */
import type { Env } from '../env';
import { nonEmpty } from '../env';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'];

/** True when any proxy variable is set (either case), i.e. an agent is needed at all. */
export function proxyConfigured(env: Env): boolean {
  return PROXY_VARIABLES.some(
    (name) => nonEmpty(env[name]) !== undefined || nonEmpty(env[name.toLowerCase()]) !== undefined,
  );
}
