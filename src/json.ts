/**
 * What every reader of a JSON text here asks of it (pure): whether a value is an object, and
 * where a text JSON.parse refused breaks, by position only (its message quotes the text around
 * the error, which may be a password).
 */

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `text` as a JSON object, or what it is instead. JSON.parse's own message is dropped: it quotes
 * the text around the error, which may be part of a secret.
 */
export function parseJsonObject(
  text: string,
): Record<string, unknown> | 'not JSON' | 'not an object' {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  return isJsonObject(value) ? value : 'not an object';
}

/** The offset JSON.parse's error names (`... in JSON at position 12`), if it names one. */
export function jsonErrorOffset(error: unknown): number | undefined {
  const match = / at position (\d+)/.exec(error instanceof Error ? error.message : '');
  return match ? Number(match[1]) : undefined;
}

/** `line L, column C` of `offset`, both from 1 (columns in UTF-16 code units, as editors count). */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}
