/**
 * `configure --remove` through the built helper, on a real docker config folder: what
 * install.sh --uninstall runs before it removes the executable, so that docker keeps working.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { runHelper } from '../support/run-helper';
import { ECR_HOST as PRIVATE } from '../support/registry-host';

scrubProcessEnv();

describe('configure --remove (the built helper)', () => {
  let home: string;
  let dockerDir: string;
  let file: string;
  beforeEach(() => {
    home = tempDir('ecr-ts-unconfigure-');
    dockerDir = join(home, 'docker-config');
    file = join(dockerDir, 'config.json');
    mkdirSync(dockerDir);
  });

  const env = () => cleanEnv(home, { DOCKER_CONFIG: dockerDir });
  const helper = (args: string[], input = '') => runHelper({ args, env: env(), input });

  it('takes out what configure put in, backs up the file, and a second run changes nothing', async () => {
    const original = '{\n\t"auths": {\n\t\t"ghcr.io": {}\n\t},\n\t"credsStore": "desktop"\n}\n';
    writeFileSync(file, original);
    expect((await helper(['configure', PRIVATE])).code).toBe(0);
    const configured = readFileSync(file, 'utf8');

    const result = await helper(['configure', '--remove']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`remove credHelpers["${PRIVATE}"] (was "ecr-ts")`);
    const backup = /^wrote (.+) \(previous file saved as (.+\.bak)\)$/.exec(lines[1] ?? '');
    expect([lines.length, backup?.[1]]).toEqual([2, file]);
    expect(readFileSync(backup?.[2] ?? '', 'utf8')).toBe(configured);
    expect(readFileSync(file, 'utf8')).toBe(original);

    const again = await helper(['configure', '--remove']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${file} names no ecr-ts entry, not rewritten\n`);
  });

  it('gives credsStore back to the fallback helper that holds the logins', async () => {
    writeFileSync(file, '{"credsStore": "pass"}');
    // configure --store makes the earlier credsStore the fallback in the helper's config file.
    const store = await helper(['configure', '--store']);
    expect(store.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ credsStore: 'ecr-ts' });

    const result = await helper(['configure', '--remove']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('set credsStore = "pass" (was "ecr-ts")');
    expect(result.stdout).toContain('credsStore is "pass" again: the fallback store');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ credsStore: 'pass' });
  });

  it('names the file store it leaves, its servers, and how to get the logins back', async () => {
    writeFileSync(file, '{"credsStore": "ecr-ts"}');
    const login = JSON.stringify({
      ServerURL: 'registry.example.com',
      Username: 'me',
      Secret: 'never-printed-1',
    });
    expect((await helper(['store'], login)).code).toBe(0);

    const result = await helper(['configure', '--remove']);
    expect(result.code).toBe(0);
    const store = join(home, '.local', 'share', 'docker-credential-ecr-ts', 'credentials.json');
    expect(result.stdout).toContain('remove credsStore (was "ecr-ts")');
    expect(result.stdout).toContain(
      `left the file store ${store}: 1 login ("registry.example.com") that docker no longer reads. To move them back into docker, run \`docker-credential-ecr-ts configure --unstore\``,
    );
    expect(result.stdout).not.toContain('never-printed-1');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });

  it('--dry-run says what it would remove and writes nothing', async () => {
    const text = `{"credHelpers": {"${PRIVATE}": "ecr-ts"}}`;
    writeFileSync(file, text);
    const result = await helper(['configure', '--remove', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `would remove credHelpers["${PRIVATE}"] (was "ecr-ts")\ndry run: ${file} not written\n`,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('refuses a read-only docker config with one line on stderr and leaves it', async () => {
    const text = `{"credsStore": "ecr-ts"}`;
    writeFileSync(file, text);
    chmodSync(file, 0o444);
    const result = await helper(['configure', '--remove']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('is read-only');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
