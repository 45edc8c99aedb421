/**
 * The secrets one doctor run has seen (keys, tokens, passwords, and each `Basic` value it sent),
 * hidden wherever they show in its report. Text that others wrote (a registry's error message)
 * may quote a secret cut short, by the registry or by doctor's own clip: there any run of
 * MIN_FRAGMENT or more characters of a secret is hidden as well. Pure.
 */

/** Shorter values are not hidden (they would hide ordinary words). */
const MIN_SECRET = 4;
/** A quoted run of this many characters of a secret is hidden: what is left of a cut is shorter. */
export const MIN_FRAGMENT = 8;
const HIDDEN = '***';

/** The secrets of a run. */
export interface SecretMask {
  add(value: string): void;
  /** `text` with every secret replaced by `***`. */
  hide(text: string): string;
  /** hide(), and every run of MIN_FRAGMENT or more characters found in a secret: for quotes. */
  hideQuoted(text: string): string;
}

/** An empty mask. */
export function createSecretMask(): SecretMask {
  const secrets = new Set<string>();
  const hide = (text: string): string => {
    let out = text;
    // Longest first: a secret inside another must not leave the rest of the longer one.
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(HIDDEN);
    }
    return out;
  };
  return {
    add(value) {
      if (value.length >= MIN_SECRET) secrets.add(value);
    },
    hide,
    hideQuoted(text) {
      const long = [...secrets].filter((secret) => secret.length >= MIN_FRAGMENT);
      return hideFragments(hide(text), long);
    },
  };
}

/** Replaces each run of `text` of MIN_FRAGMENT or more characters that occurs in a secret. */
function hideFragments(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const found = (piece: string): boolean => secrets.some((secret) => secret.includes(piece));
  let out = '';
  let i = 0;
  while (i < text.length) {
    let end = i + MIN_FRAGMENT;
    if (end <= text.length && found(text.slice(i, end))) {
      while (end < text.length && found(text.slice(i, end + 1))) end += 1;
      out += HIDDEN;
      i = end;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}
