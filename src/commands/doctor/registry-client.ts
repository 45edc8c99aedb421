/**
 * Talks to a registry the way docker does with a user name and password: Basic auth, or, when the
 * registry answers 401 with a Bearer challenge (ECR Public, most registries), the token service it
 * names, then the request again with that token. Over an HttpsGet, so tests pass fakes.
 */
import type { HttpsGet, HttpsResponse } from './https-get';

/** A registry answer, with how the request was authorised. */
interface RegistryAnswer extends HttpsResponse {
  readonly auth: 'basic' | 'bearer';
}

/** One error of a registry's `{"errors":[{code,message}]}` body. */
interface RegistryError {
  readonly code: string;
  readonly message: string;
}

/** A GET of `path` with the registry's user name and password. */
export type RegistryGet = (
  path: string,
  options: { readonly accept?: string; readonly scope?: string },
) => Promise<RegistryAnswer>;

/** Creates the client for `https://<authority>`; `secret` hears every bearer token it gets. */
export function createRegistryClient(options: {
  readonly authority: string;
  readonly username: string;
  readonly password: string;
  readonly get: HttpsGet;
  readonly secret: (value: string) => void;
}): RegistryGet {
  const basic = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  return async (path, { accept, scope }) => {
    const url = `https://${options.authority}${path}`;
    const headers = (authorization: string): Record<string, string> => ({
      authorization,
      ...(accept ? { accept } : {}),
    });
    const first = await options.get(url, { headers: headers(basic) });
    const challenge = bearerChallenge(first);
    if (first.status !== 401 || !challenge) return { ...first, auth: 'basic' };
    const tokenUrl = new URL(challenge.realm);
    // The password goes to the token service only over TLS.
    if (tokenUrl.protocol !== 'https:') return { ...first, auth: 'basic' };
    if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
    if (scope) tokenUrl.searchParams.set('scope', scope);
    const answer = await options.get(tokenUrl.href, { headers: { authorization: basic } });
    if (answer.status !== 200) return { ...answer, auth: 'bearer' };
    const token = bearerToken(answer.body);
    if (!token) return { ...answer, status: 502, auth: 'bearer' };
    options.secret(token);
    return { ...(await options.get(url, { headers: headers(`Bearer ${token}`) })), auth: 'bearer' };
  };
}

/** The `errors` of a registry's error body (distribution's format), or [] when it has none. */
export function registryErrors(body: string): RegistryError[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.flatMap((error: unknown) => {
      const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
      return typeof code === 'string'
        ? [{ code, message: typeof message === 'string' ? clip(message) : '' }]
        : [];
    });
  } catch {
    return [];
  }
}

/** `CODE: message` of each error, or the status alone. */
export function describeAnswer(answer: HttpsResponse): string {
  const errors = registryErrors(answer.body);
  const text = errors.map((error) => `${error.code}${error.message ? `: ${error.message}` : ''}`);
  return `HTTP ${answer.status}${text.length > 0 ? ` (${text.join('; ')})` : ''}`;
}

function bearerChallenge(
  response: HttpsResponse,
): { readonly realm: string; readonly service?: string } | undefined {
  const header = response.headers['www-authenticate'];
  const value = Array.isArray(header) ? header.join(', ') : (header ?? '');
  if (!/^\s*bearer\s/i.test(value)) return undefined;
  const params = Object.fromEntries(
    [...value.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1]?.toLowerCase(), match[2]]),
  ) as Record<string, string | undefined>;
  if (!params['realm']) return undefined;
  return { realm: params['realm'], ...(params['service'] ? { service: params['service'] } : {}) };
}

function bearerToken(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { token?: unknown; access_token?: unknown };
    const token = parsed.token ?? parsed.access_token;
    return typeof token === 'string' && token ? token : undefined;
  } catch {
    return undefined;
  }
}

function clip(text: string): string {
  // eslint-disable-next-line no-control-regex -- a registry's message is untrusted text
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
