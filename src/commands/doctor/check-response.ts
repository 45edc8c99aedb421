/**
 * `response` (doctor --kubelet): what the kubelet would decode from the provider's answer for the
 * image, the password hidden, or the one line it would log when the provider fails. Pure.
 */
import { toHelperError } from '../../errors';
import { quote } from '../../quote';
import { failed, passed, type Finding } from './check';

/** The finding for a CredentialProviderResponse, and its password (to mask in the report). */
export function checkResponse(text: string): { finding: Finding; password?: string } {
  const response = JSON.parse(text) as {
    cacheKeyType: string;
    cacheDuration: string;
    auth: Record<string, { username: string; password: string }>;
  };
  const [key, auth] = Object.entries(response.auth)[0] ?? [];
  const what = auth
    ? `auth ${quote(key ?? '')}: user ${quote(auth.username)}, password of ${auth.password.length} characters (hidden)`
    : 'no credentials (empty auth): the kubelet pulls anonymously';
  return {
    finding: passed(
      `${what}; cacheKeyType ${response.cacheKeyType}, cacheDuration ${response.cacheDuration}`,
    ),
    ...(auth ? { password: auth.password } : {}),
  };
}

/** The finding for a provider that fails: it exits 1, and the kubelet logs its one line. */
export function responseFailed(error: unknown): Finding {
  return failed(`the provider would exit 1 and the kubelet log: ${toHelperError(error).message}`);
}
