/**
 * A `registries` key as a matcher: a lower-case host, where `*` stands for one or more characters
 * inside one DNS label (never a dot), and an optional `:port`. Pure.
 */
import type { HostPort } from '../registry/parse-registry';

/** A compiled key. */
export interface HostPattern {
  /** Anchored: the whole host must match. */
  readonly host: RegExp;
  /** When given, only this port matches; without one, the host on any port (or none). */
  readonly port?: string;
  /** The key has no `*`. */
  readonly literal: boolean;
  /** Characters other than `*` (port included): more is more specific. */
  readonly literalChars: number;
}

const KEY = /^([a-z0-9*-]+(?:\.[a-z0-9*-]+)*)(?::(\d{1,5}))?$/;

/** Compiles a key; returns a reason (for the config error) when it is not a valid pattern. */
export function compileHostPattern(key: string): HostPattern | string {
  const match = KEY.exec(key);
  if (!match) {
    return /[A-Z]/.test(key)
      ? 'expected a lower-case host name'
      : 'expected a host name, optionally with "*" inside a label and a ":port" (no scheme or path)';
  }
  const [, host = '', rawPort] = match;
  let port: string | undefined;
  if (rawPort !== undefined) {
    const value = Number(rawPort);
    if (value < 1 || value > 65535) return 'expected a port between 1 and 65535';
    port = String(value);
  }
  const source = host
    .split('.')
    .map((label) => label.split('*').map(escape).join('[a-z0-9-]+'))
    .join('\\.');
  const literalChars = key.replaceAll('*', '').length;
  return {
    host: new RegExp(`^${source}$`),
    ...(port !== undefined ? { port } : {}),
    literal: !host.includes('*'),
    literalChars,
  };
}

/** True when the pattern covers the host (and port). */
export function patternMatches(pattern: HostPattern, target: HostPort): boolean {
  if (target.host === '') return false;
  if (pattern.port !== undefined && pattern.port !== normalPort(target.port)) return false;
  return pattern.host.test(target.host);
}

/** True when the key names exactly this host and port: it beats every pattern. */
export function isExactMatch(pattern: HostPattern, target: HostPort): boolean {
  return (
    pattern.literal && pattern.port === normalPort(target.port) && patternMatches(pattern, target)
  );
}

function normalPort(port: string | undefined): string | undefined {
  return port === undefined ? undefined : String(Number(port));
}

function escape(text: string): string {
  return text.replace(/[.-]/g, (character) => `\\${character}`);
}
