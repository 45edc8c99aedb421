/** Whether the environment names a proxy at all; the proxy code is loaded only then. */
import type { Env } from '../env';
import { nonEmpty } from '../env';
import { HelperError } from '../errors';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'];
/** The proxy schemes the agent speaks (CONNECT over TCP or TLS); no SOCKS, no PAC. */
const SUPPORTED_SCHEMES = new Set(['http:', 'https:']);

/** True when any proxy variable is set (either case), i.e. an agent is needed at all. */
export function proxyConfigured(env: Env): boolean {
  return PROXY_VARIABLES.some(
    (name) => nonEmpty(env[name]) !== undefined || nonEmpty(env[name.toLowerCase()]) !== undefined,
  );
}

/**
 * The variable a URL of `scheme` takes its proxy from, in proxy-from-env's order: `<scheme>_proxy`
 * then `all_proxy`, the lower-case spelling first.
 */
export function proxyVariableFor(env: Env, scheme: string): string {
  const names = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'];
  return names.find((name) => env[name]) ?? `${scheme.toUpperCase()}_PROXY`;
}

/**
 * Refuses a proxy URL whose scheme the agent cannot speak (socks5://, ...): used as an HTTP proxy
 * it would only fail obscurely. Names the variable and the scheme, never the URL (it may hold a
 * password).
 */
export function checkProxyScheme(proxy: string, variable: string): void {
  let protocol: string;
  try {
    protocol = new URL(proxy).protocol;
  } catch {
    throw new HelperError('CONFIG', `${variable} is not a valid proxy URL`);
  }
  if (!SUPPORTED_SCHEMES.has(protocol)) {
    throw new HelperError(
      'CONFIG',
      `${variable} names a ${protocol}// proxy, which is not supported: use an http:// or https:// proxy, or unset ${variable}`,
    );
  }
}
