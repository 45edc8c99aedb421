/**
 * Talks to a registry the way docker does with a user name and password: Basic auth, or, when the
 * registry answers 401 with a Bearer challenge (ECR Public, most registries), the token service it
 * names, then the request again with that token. Over an HttpsGet, so tests pass fakes. What the
 * registry says is text others wrote, and may quote the Authorization header that was sent: its
 * error messages and the headers doctor quotes come out with every secret hidden, whole or cut.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { oneLine } from '../../quote';
import type { HttpsGet, HttpsResponse } from './https-get';

/** One error of a registry's `{"errors":[{code,message}]}` body. */
interface RegistryError {
  readonly code: string;
  readonly message: string;
}

/** A registry answer as doctor may quote it, with how the request was authorised. */
export interface RegistryAnswer {
  readonly status: number;
  readonly auth: 'basic' | 'bearer';
  /** The body's first MAX_ERRORS `errors`, secrets hidden, each text cut at 300 characters. */
  readonly errors: readonly RegistryError[];
  /** How many more errors the body had. */
  readonly moreErrors: number;
  /** The `docker-content-digest` and `content-type` headers, secrets hidden. */
  readonly digest?: string;
  readonly contentType?: string;
}

/** A registry's answer may list any number of errors: the report quotes this many. */
const MAX_ERRORS = 5;

/** A GET of `path` with the registry's user name and password. */
export type RegistryGet = (
  path: string,
  options: { readonly accept?: string; readonly scope?: string },
) => Promise<RegistryAnswer>;

/** How the client hides secrets in what a registry says. */
export interface QuoteMask {
  /** Hears every secret the client sends: the password, the `Basic` value, each bearer token. */
  readonly secret: (value: string) => void;
  /** Hides every secret heard so far, whole (secret-mask.ts). */
  readonly hide: (text: string) => string;
  /** Hides every secret heard so far, whole or cut. */
  readonly hideQuoted: (text: string) => string;
}

/** Creates the client for `https://<authority>`. */
export function createRegistryClient(
  options: {
    readonly authority: string;
    readonly username: string;
    readonly password: string;
    readonly get: HttpsGet;
  } & QuoteMask,
): RegistryGet {
  const encoded = Buffer.from(`${options.username}:${options.password}`).toString('base64');
  options.secret(options.password);
  options.secret(encoded);
  const basic = `Basic ${encoded}`;
  const quote = (answer: HttpsResponse, auth: RegistryAnswer['auth'], status = answer.status) =>
    quotable(answer, auth, status, options);
  return async (path, { accept, scope }) => {
    const url = `https://${options.authority}${path}`;
    const headers = (authorization: string): Record<string, string> => ({
      authorization,
      ...(accept ? { accept } : {}),
    });
    const first = await options.get(url, { headers: headers(basic) });
    const challenge = bearerChallenge(first);
    if (first.status !== 401 || !challenge) return quote(first, 'basic');
    const tokenUrl = new URL(challenge.realm);
    // The password goes to the token service only over TLS.
    if (tokenUrl.protocol !== 'https:') return quote(first, 'basic');
    if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
    if (scope) tokenUrl.searchParams.set('scope', scope);
    const answer = await options.get(tokenUrl.href, { headers: { authorization: basic } });
    if (answer.status !== 200) return quote(answer, 'bearer');
    const token = bearerToken(answer.body);
    if (!token) return quote(answer, 'bearer', 502);
    options.secret(token);
    return quote(await options.get(url, { headers: headers(`Bearer ${token}`) }), 'bearer');
  };
}

/** `CODE: message` of each error, or the status alone. */
export function describeAnswer(answer: RegistryAnswer): string {
  const text = answer.errors.map(
    (error) => `${error.code}${error.message ? `: ${error.message}` : ''}`,
  );
  if (answer.moreErrors > 0) text.push(`and ${answer.moreErrors} more`);
  return `HTTP ${answer.status}${text.length > 0 ? ` (${text.join('; ')})` : ''}`;
}

/**
 * What doctor may quote of an answer. Each text is hidden whole before it is cut (the cut must not
 * leave a prefix of a secret), and hidden again after (the registry may have cut it itself).
 */
function quotable(
  answer: HttpsResponse,
  auth: RegistryAnswer['auth'],
  status: number,
  mask: Pick<QuoteMask, 'hide' | 'hideQuoted'>,
): RegistryAnswer {
  const text = (value: string): string => mask.hideQuoted(oneLine(mask.hide(value), 300));
  const digest = headerValue(answer.headers, 'docker-content-digest');
  const contentType = headerValue(answer.headers, 'content-type');
  const errors = registryErrors(answer.body);
  return {
    status,
    auth,
    errors: errors.slice(0, MAX_ERRORS).map((error) => ({
      code: text(error.code),
      message: text(error.message),
    })),
    moreErrors: Math.max(0, errors.length - MAX_ERRORS),
    ...(digest !== undefined ? { digest: text(digest) } : {}),
    ...(contentType !== undefined ? { contentType: text(contentType) } : {}),
  };
}

/** The `errors` of a registry's error body (distribution's format), or [] when it has none. */
function registryErrors(body: string): RegistryError[] {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.flatMap((error: unknown) => {
      const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
      return typeof code === 'string'
        ? [{ code, message: typeof message === 'string' ? message : '' }]
        : [];
    });
  } catch {
    return [];
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
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
