/**
 * How caller-supplied text (a server URL, an argument, a value from a file) appears in a message
 * or a log line: user info masked, then quoted so that neither a terminal nor a shell acts on it.
 * The one place that decides it, so every message masks the same way.
 */

// `@<algorithm>:<hex>` closing an image reference is a digest, not the end of user info.
const DIGEST_SUFFIX = /@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Fa-f0-9]{32,}$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
// A URL with a scheme inside free text: up to white space or a quote.
const URL_IN_TEXT = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>]+/g;
// C0 and C1 controls and DEL: escape sequences, BEL, NUL, line breaks.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `https://user:pw@host` -> `https://***@host`, `user:pw@host` -> `***@host`. Everything between
 * the scheme (or the start) and the last `@` is masked: a password may hold `/`, `@`, `#`, `?`,
 * quotes or spaces, and a token may stand alone as the user name. Over-masking a host is
 * harmless; showing part of a password is not.
 */
export function hideUserInfo(url: string): string {
  const { scheme, at } = userInfoEnd(url);
  return at < 0 ? url : `${scheme}***${url.slice(at)}`;
}

/**
 * `url` without its user info, for a server URL that is kept or listed (the file store): the same
 * last-`@` rule, except that an `@` only in a path (`ghcr.io/team/app@x`) does not count, since
 * here a wrong cut changes the key. User info is assumed when the text before the first `/`, `?`,
 * `#` or `\` holds `:` or `@`: a password with a `/` (`bob:pa/ss@host`) is still cut whole.
 */
export function withoutUserInfo(url: string): string {
  const { scheme, at } = userInfoEnd(url);
  if (at < 0) return url;
  const rest = url.slice(scheme.length);
  const end = rest.search(/[/?#\\]/);
  const head = end < 0 ? rest : rest.slice(0, end);
  return /[:@]/.test(head) ? `${scheme}${url.slice(at + 1)}` : url;
}

/** The scheme (with `://`, or '') and the index of the last `@` before any digest (-1: none). */
function userInfoEnd(url: string): { scheme: string; at: number } {
  const digest = DIGEST_SUFFIX.exec(url);
  const body = digest ? url.slice(0, digest.index) : url;
  const at = body.lastIndexOf('@');
  const scheme = at < 0 ? '' : (SCHEME.exec(body.slice(0, at))?.[0] ?? '');
  return { scheme, at };
}

/** hideUserInfo() for every URL with a scheme inside free text (log lines, SDK messages). */
export function hideUserInfoInText(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => hideUserInfo(url));
}

/** Escapes C0/C1 control characters as `\uXXXX`, so server text cannot drive a terminal. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, unicodeEscape);
}

/**
 * A JSON string literal (a program can read it back) with `$` and backticks escaped as well: in
 * a log file that someone sources, or pasted into a shell, it stays a plain word.
 */
export function quote(text: string): string {
  return JSON.stringify(text).replace(/[$`\u007f-\u009f\u2028\u2029]/g, unicodeEscape);
}

/**
 * Text another program wrote (a registry's message, a helper's `version`) as one line of at most
 * `max` characters: line breaks and tabs become spaces and other control characters go, so it
 * cannot drive a terminal; a longer one is cut, ending in `...`.
 */
export function oneLine(text: string, max: number): string {
  const line = text
    .replace(/[\t\n\r]+/g, ' ')
    .replace(CONTROL, '')
    .trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** `\uXXXX` for one character. */
function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A server URL as messages show it: user info masked, quoted. */
export function quoteServerUrl(url: string): string {
  return quote(hideUserInfo(url));
}
