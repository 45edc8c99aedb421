/** Assertions that no secret leaked into what a helper printed. */
import type { IssuedKey } from './sigv4';

/** Every secret value of these keys (secret key and session token; ids are not secret). */
export function secretsOf(keys: readonly IssuedKey[]): string[] {
  return keys.flatMap((key) => [
    key.secretAccessKey,
    ...(key.sessionToken ? [key.sessionToken] : []),
  ]);
}

/** Asserts that none of `secrets` occurs in `text` (reports which kind leaked, not the value). */
export function expectNoSecrets(text: string, secrets: readonly string[], where: string): void {
  const leaked = secrets.filter((secret) => secret.length > 0 && text.includes(secret));
  if (leaked.length > 0) {
    throw new Error(`${leaked.length} secret value(s) leaked into ${where}`);
  }
}
