/**
 * A throwaway gpg signing key in a temp GNUPGHOME (no passphrase), as a release builder would
 * hold one: it signs files and exports its public half. close() stops its gpg-agent.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  readonly fingerprint: string;
  /** The environment under which `gpg` uses this key (GNUPGHOME). */
  readonly env: Record<string, string>;
  /** Writes the armored public key to `file`. */
  exportPublic(file: string): void;
  /** Writes an armored detached signature of `file` to `file`.asc. */
  sign(file: string): void;
  close(): void;
}

/** Makes the key under `dir` (a test's temp folder). */
export function createSigningKey(dir: string, name = 'ecr-ts release test'): SigningKey {
  const gnupg = join(dir, 'gnupg');
  mkdirSync(gnupg, { recursive: true, mode: 0o700 });
  const env = { GNUPGHOME: gnupg, HOME: dir, PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  const gpg = (args: string[]): string =>
    execFileSync('gpg', ['--batch', ...args], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
      stdio: 'pipe',
    });
  gpg([
    '--passphrase',
    '',
    '--quick-gen-key',
    `${name} <release@test.invalid>`,
    'ed25519',
    'sign',
    'never',
  ]);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(['--list-keys', '--with-colons']))?.[1];
  if (!fingerprint) throw new Error('gpg made no key');
  return {
    fingerprint,
    env: { GNUPGHOME: gnupg },
    exportPublic: (file) => writeFileSync(file, gpg(['--armor', '--export', fingerprint])),
    sign: (file) =>
      gpg([
        '--yes',
        '--local-user',
        fingerprint,
        '--armor',
        '--detach-sign',
        '-o',
        `${file}.asc`,
        file,
      ]),
    close: () => {
      try {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' });
      } catch {
        // No agent was started.
      }
    },
  };
}
