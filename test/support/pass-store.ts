/**
 * A real `pass` store for docker-credential-pass: a throwaway gpg key without passphrase in a
 * temp GNUPGHOME, `pass init` with it, everything under `home`. close() stops its gpg-agent.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The environment that makes pass and gpg use the throwaway store, and its cleanup. */
export interface PassStore {
  readonly env: Record<string, string>;
  readonly storeDir: string;
  close(): void;
}

/** Creates the key and the store under `home` (root of the test's temp folder). */
export function createPassStore(home: string): PassStore {
  const gnupg = join(home, '.gnupg');
  mkdirSync(gnupg, { mode: 0o700 });
  const storeDir = join(home, '.password-store');
  const env = {
    GNUPGHOME: gnupg,
    PASSWORD_STORE_DIR: storeDir,
    HOME: home,
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  };
  const run = (command: string, args: string[]): string =>
    execFileSync(command, args, { env, encoding: 'utf8', timeout: 60_000, stdio: 'pipe' });
  run('gpg', [
    '--batch',
    '--passphrase',
    '',
    '--quick-gen-key',
    'ecr-ts test <ecr-ts@test.invalid>',
    'default',
    'default',
    'never',
  ]);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(
    run('gpg', ['--list-keys', '--with-colons']),
  )?.[1];
  if (!fingerprint) throw new Error('gpg made no key');
  run('pass', ['init', fingerprint]);
  return {
    env: { GNUPGHOME: gnupg, PASSWORD_STORE_DIR: storeDir },
    storeDir,
    close: () => {
      try {
        run('gpgconf', ['--kill', 'gpg-agent']);
      } catch {
        // No agent was started.
      }
    },
  };
}
