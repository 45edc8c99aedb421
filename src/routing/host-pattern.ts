/**
 * A `registries` key as a matcher: a lower-case host, where `*` stands for one or more characters
 * inside one DNS label (never a dot), and an optional `:port`. Pure. Matched label by label with
 * plain string operations, not one RegExp per key: every call (the cache-hit `get` included)
 * parses the whole file, and compiling a hundred expressions measurably slowed it.
 */
import { isHostPattern, isPortText } from '../text-checks';
import type { HostPort } from '../registry/parse-registry';

/** A compiled key. */
export interface HostPattern {
  /** The host part as written (no port). */
  readonly host: string;
  /** Its labels, each split at `*` (a label without `*` is one piece). */
  readonly labels: readonly (readonly string[])[];
  /**
   * When given, only this port matches (443 and no port are one); without one, the host on any
   * port (or none).
   */
  readonly port?: string;
  /** The key has no `*`. */
  readonly literal: boolean;
  /** Characters other than `*` (port included): more is more specific. */
  readonly literalChars: number;
}

/** Compiles a key; returns a reason (for the config error) when it is not a valid pattern. */
export function compileHostPattern(key: string): HostPattern | string {
  const colon = key.lastIndexOf(':');
  const host = colon === -1 ? key : key.slice(0, colon);
  const rawPort = colon === -1 ? undefined : key.slice(colon + 1);
  if (!isHostPattern(host) || (rawPort !== undefined && !isPortText(rawPort))) {
    return key !== key.toLowerCase()
      ? 'expected a lower-case host name'
      : 'expected a host name, optionally with "*" inside a label and a ":port" (no scheme or path)';
  }
  let port: string | undefined;
  if (rawPort !== undefined) {
    const value = Number(rawPort);
    if (value < 1 || value > 65535) return 'expected a port between 1 and 65535';
    port = String(value);
  }
  const literal = !host.includes('*');
  return {
    host,
    labels: literal ? [] : host.split('.').map((label) => label.split('*')),
    ...(port !== undefined ? { port } : {}),
    literal,
    literalChars: key.length - (key.split('*').length - 1),
  };
}

/** True when the pattern covers the host (and port). */
export function patternMatches(pattern: HostPattern, target: HostPort): boolean {
  if (target.host === '') return false;
  if (pattern.port !== undefined && normalPort(pattern.port) !== normalPort(target.port)) {
    return false;
  }
  if (pattern.literal) return pattern.host === target.host;
  const labels = target.host.split('.');
  if (labels.length !== pattern.labels.length) return false;
  return pattern.labels.every((pieces, index) => globMatches(pieces, labels[index] ?? ''));
}

/**
 * A quick filter for keys not compiled yet: false only for keys that cannot cover `target` (a
 * literal key names another host; a pattern has another number of labels). Costs a string
 * comparison per key, where compiling validates every character.
 */
export function keysCovering(target: HostPort): (key: string) => boolean {
  const labels = target.host.split('.').length;
  return (key) => {
    const colon = key.lastIndexOf(':');
    const host = colon === -1 ? key : key.slice(0, colon);
    if (!host.includes('*')) return host === target.host;
    return host.split('.').length === labels;
  };
}

/** True when the key names exactly this host and port: it beats every pattern. */
export function isExactMatch(pattern: HostPattern, target: HostPort): boolean {
  return (
    pattern.literal &&
    normalPort(pattern.port) === normalPort(target.port) &&
    patternMatches(pattern, target)
  );
}

/** One label against its pieces around `*`s: each `*` takes one or more characters. */
function globMatches(pieces: readonly string[], label: string): boolean {
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return first === label;
  const last = pieces[pieces.length - 1] ?? '';
  if (!label.startsWith(first) || !label.endsWith(last)) return false;
  let at = first.length;
  const end = label.length - last.length;
  for (let i = 1; i < pieces.length - 1; i += 1) {
    const piece = pieces[i] ?? '';
    // At least one character for the `*` before this piece; leftmost placement is optimal.
    const found = label.indexOf(piece, at + 1);
    if (found === -1 || found + piece.length > end - 1) return false;
    at = found + piece.length;
  }
  // The last `*` needs one character too.
  return end - at >= 1;
}

/**
 * A port as the registry sees it: 443 is HTTPS's own, so `host:443` is the host without one
 * (nerdctl asks for `host:443` before `host`: both must find the same entry).
 */
function normalPort(port: string | undefined): string | undefined {
  if (port === undefined) return undefined;
  const value = String(Number(port));
  return value === '443' ? undefined : value;
}
