/** How stored logins are matched: `https://ghcr.io/`, `ghcr.io` and `GHCR.IO` name one server. */
import { withoutUserInfo } from '../quote';

/**
 * The server a URL names: host and port, lower case, without scheme, user info, path or a
 * trailing dot; '' when there is none. Unlike extractHost(), the port is kept: two registries on
 * one host are two servers.
 */
export function serverKey(serverUrl: string): string {
  let rest = withoutUserInfo(serverUrl.trim()).replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  const end = rest.search(/[/?#\\]/);
  if (end !== -1) rest = rest.slice(0, end);
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  const match = /^([A-Za-z0-9.-]+?)\.?(:\d{1,5})?$/.exec(rest);
  return match ? `${match[1]}${match[2] ?? ''}`.toLowerCase() : '';
}
