/**
 * The real docker-credential-pass (Debian golang-docker-credential-helpers) as the fallback, over a
 * real `pass` store with a throwaway gpg key: logins go in encrypted, come back through the
 * helper unchanged, and the password is nowhere on disk in the clear.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { haveTool } from '../e2e/find-tool';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { createPassStore } from '../support/pass-store';
import { runHelper } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';
import { writeFileSync } from 'node:fs';

scrubProcessEnv();
const tempDir = useTempDirs();
const SECRET = 'pa55-SENTINEL-pass-store';
const ready =
  haveTool('docker-credential-pass', ['sh', '-c', 'command -v docker-credential-pass']) &&
  haveTool('pass', ['sh', '-c', 'command -v pass']) &&
  haveTool('gpg', ['gpg', '--version']);

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

(ready ? describe : describe.skip)('fallback "pass" (real docker-credential-pass)', () => {
  it('stores encrypted, gets, lists and erases through the helper; the password is never in the clear', async () => {
    const home = tempDir('ecr-ts-pass-');
    const pass = createPassStore(home);
    try {
      const config = join(home, 'config.json');
      writeFileSync(config, JSON.stringify({ fallback: 'pass' }));
      const env = cleanEnv(home, { ...pass.env, ECR_TS_CONFIG: config, ECR_TS_TIMEOUT: '30' });
      const run = (action: string, input?: string) =>
        runHelper({
          args: [action],
          env,
          ...(input === undefined ? {} : { input }),
          killAfterMs: 60_000,
        });

      expect(await run('get', 'ghcr.io')).toMatchObject({
        code: 1,
        stdout: 'credentials not found in native keychain\n',
      });
      const login = JSON.stringify({ ServerURL: 'ghcr.io', Username: 'octocat', Secret: SECRET });
      expect(await run('store', login)).toMatchObject({ code: 0, stdout: '', stderr: '' });
      const got = await run('get', 'ghcr.io');
      expect([got.code, got.stderr]).toEqual([0, '']);
      expect(JSON.parse(got.stdout)).toEqual({
        ServerURL: 'ghcr.io',
        Username: 'octocat',
        Secret: SECRET,
      });
      expect(JSON.parse((await run('list')).stdout)).toEqual({ 'ghcr.io': 'octocat' });

      // Encrypted: the pass store holds .gpg files, and no file under HOME has the password.
      expect(filesUnder(pass.storeDir).some((path) => path.endsWith('.gpg'))).toBe(true);
      for (const path of filesUnder(home)) {
        expect([path, readFileSync(path).includes(SECRET)]).toEqual([path, false]);
      }

      expect(await run('erase', 'ghcr.io')).toMatchObject({ code: 0, stdout: '' });
      expect((await run('get', 'ghcr.io')).stdout).toBe(
        'credentials not found in native keychain\n',
      );
      expect(JSON.parse((await run('list')).stdout)).toEqual({});
    } finally {
      pass.close();
    }
  });
});
