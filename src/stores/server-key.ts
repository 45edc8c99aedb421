/** How stored logins are matched: `https://ghcr.io/`, `ghcr.io` and `GHCR.IO` name one server. */
import { withoutUserInfo } from '../quote';

/**
 * The server a URL names: host and port, lower case, without scheme, user info, path or a
 * trailing dot; '' when there is none. Unlike extractHost(), the port is kept: two registries on
 * one host are two servers. Port 443 is no port: it is where HTTPS goes anyway.
 */
export function serverKey(serverUrl: string): string {
  let rest = withoutUserInfo(serverUrl.trim()).replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const end = rest.search(/[/?#\\]/);
  if (end !== -1) rest = rest.slice(0, end);
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  const match = /^([A-Za-z0-9.-]+?)\.?(?::(\d{1,5}))?$/.exec(rest);
  if (!match) return '';
  // 443 is HTTPS's own port: `host:443` and `https://host:443` are `host` (nerdctl asks so).
  const port = match[2] === undefined || Number(match[2]) === 443 ? '' : `:${match[2]}`;
  return `${match[1]}${port}`.toLowerCase();
}
