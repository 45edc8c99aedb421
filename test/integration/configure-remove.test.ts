/**
 * `configure --remove` through the built helper, on a real docker config folder: what
 * install.sh --uninstall runs before it removes the executable, so that docker keeps working.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { runHelper } from '../support/run-helper';
import { ECR_HOST as PRIVATE } from '../support/registry-host';
import { authEntry, configureWorld, fakeHelperLogins, installFakeHelper } from './configure-world';

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

  it('moves the logins of the file store into auths: docker reads them without the helper', async () => {
    writeFileSync(file, '{"credsStore": "ecr-ts"}');
    const login = JSON.stringify({
      ServerURL: 'registry.example.com',
      Username: 'me',
      Secret: 'never-printed-1',
    });
    expect((await helper(['store'], login)).code).toBe(0);

    const result = await helper(['configure', '--remove']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('remove credsStore (was "ecr-ts")');
    expect(result.stdout).toContain(
      'move the login for "registry.example.com" (user "me") from the file store into auths',
    );
    expect(result.stdout).toContain('removed 1 moved login(s) from the file store');
    expect(result.stdout).not.toContain('left the file store');
    expect(result.stdout).not.toContain('never-printed-1');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      auths: { 'registry.example.com': authEntry('me', 'never-printed-1') },
    });
    expect(JSON.parse((await helper(['list'])).stdout)).toEqual({});
  });

  it('names the file store when a login stays there, and says what to do with it', async () => {
    // A plaintext login for the same server, which docker ignored while ecr-ts was credsStore.
    const auths = { 'https://registry.example.com': authEntry('old', 'never-printed-2') };
    writeFileSync(file, JSON.stringify({ credsStore: 'ecr-ts', auths }));
    const login = JSON.stringify({
      ServerURL: 'registry.example.com',
      Username: 'me',
      Secret: 'never-printed-1',
    });
    expect((await helper(['store'], login)).code).toBe(0);

    const result = await helper(['configure', '--remove']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    const store = join(home, '.local', 'share', 'docker-credential-ecr-ts', 'credentials.json');
    expect(result.stdout).toContain(
      'left the login for "registry.example.com" in the file store: auths["https://registry.example.com"] already holds a login for it (kept)',
    );
    expect(result.stdout).toContain(
      `left the file store ${store}: 1 login ("registry.example.com") that docker does not read. It is plain JSON: docker login again where you need one, then delete the file`,
    );
    expect(result.stdout).not.toContain('never-printed');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ auths });
    expect(JSON.parse((await helper(['list'])).stdout)).toEqual({ 'registry.example.com': 'me' });
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

/**
 * --remove after --store: the credsStore part is undone as --unstore undoes it (same write as the
 * credHelpers entries), so no login stays behind in a store docker no longer reads.
 */
describe('configure --remove after configure --store', () => {
  const SECRET = 'pa55-SENTINEL-remove';
  const login = (host: string, user: string, secret: string): string =>
    JSON.stringify({ ServerURL: host, Username: user, Secret: secret });
  const ORIGINAL = `${JSON.stringify(
    {
      auths: { 'ghcr.io': authEntry('octocat', SECRET), [PRIVATE]: authEntry('AWS', 'stale') },
      psFormat: 'table {{.ID}}',
    },
    null,
    '\t',
  )}\n`;

  it('puts the moved logins (and later ones) back into auths: nothing lost, nothing of ours left', async () => {
    const w = configureWorld(ORIGINAL);
    expect((await w.run(['configure', PRIVATE, '--store'])).code).toBe(0);
    expect(w.docker()['auths']).toEqual({});
    // docker login through the helper after the migration: into its file store.
    const later = await w.run(['store'], { input: login('quay.io', 'q', `${SECRET}-q`) });
    expect(later.code).toBe(0);

    const dry = await w.run(['configure', '--remove', '--dry-run']);
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    expect(dry.stdout.split('\n')).toEqual([
      'would remove credsStore (was "ecr-ts")',
      'would move the login for "ghcr.io" (user "octocat") from the file store into auths',
      'would move the login for "quay.io" (user "q") from the file store into auths',
      `would remove credHelpers["${PRIVATE}"] (was "ecr-ts")`,
      `dry run: ${w.dockerFile} not written`,
      '',
    ]);
    expect(w.docker()['credsStore']).toBe('ecr-ts');

    const result = await w.run(['configure', '--remove']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stdout).toContain(`remove credHelpers["${PRIVATE}"] (was "ecr-ts")`);
    expect(result.stdout).toContain('removed 2 moved login(s) from the file store');
    expect(w.docker()).toEqual({
      auths: {
        'ghcr.io': authEntry('octocat', SECRET),
        'quay.io': authEntry('q', `${SECRET}-q`),
      },
      psFormat: 'table {{.ID}}',
    });
    // One write, one backup: the file as --store left it.
    expect(w.backups()).toHaveLength(2);
    expect(existsSync(`${w.dockerFile}.ecr-ts-store.json`)).toBe(false);
    // No login of ours is left; the helper's own config file still names the registry that
    // `configure --store REGISTRY` added (--remove edits docker's config, not the helper's).
    expect(JSON.parse((await w.run(['list'])).stdout)).toEqual({ [PRIVATE]: 'AWS' });
    const again = await w.run(['configure', '--remove']);
    expect([again.code, again.stdout]).toEqual([
      0,
      `${w.dockerFile} names no ecr-ts entry, not rewritten\n`,
    ]);
  });

  it('restores the earlier credsStore helper, which kept its logins', async () => {
    const w = configureWorld(
      JSON.stringify({ credsStore: 'keeper', auths: { 'ghcr.io': authEntry('a', SECRET) } }),
    );
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    expect((await w.run(['store'], { input: login('quay.io', 'q', `${SECRET}-q`) })).code).toBe(0);
    const result = await w.run(['configure', '--remove']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('set credsStore = "keeper" (was "ecr-ts")');
    expect(result.stdout).toContain('credsStore is "keeper" again: the fallback store');
    expect(w.docker()).toEqual({ credsStore: 'keeper', auths: {} });
    expect(fakeHelperLogins(db)).toEqual({
      'ghcr.io': ['a', SECRET],
      'quay.io': ['q', `${SECRET}-q`],
    });
  });

  it('keeps a helper fallback as credsStore when it holds logins --store did not put there', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    const db = join(w.home, 'keeper-db');
    installFakeHelper(w.bin, 'keeper', db);
    w.writeConfigFile('{"fallback": "keeper"}');
    expect((await w.run(['configure', '--store'])).code).toBe(0);
    // docker login through the helper: into keeper, never in auths.
    expect((await w.run(['store'], { input: login('quay.io', 'q', `${SECRET}-q`) })).code).toBe(0);
    const result = await w.run(['configure', '--remove']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(
      'docker-credential-keeper holds 1 login(s) configure --store did not put there ("quay.io"): it becomes the credsStore',
    );
    expect(result.stdout).toContain('set credsStore = "keeper" (was "ecr-ts")');
    expect(w.docker()).toEqual({ credsStore: 'keeper', auths: {} });
    expect(fakeHelperLogins(db)).toEqual({
      'ghcr.io': ['a', SECRET],
      'quay.io': ['q', `${SECRET}-q`],
    });
  });

  it('with registries only, leaves credsStore and the stores alone', async () => {
    const w = configureWorld(JSON.stringify({ auths: { 'ghcr.io': authEntry('a', SECRET) } }));
    expect((await w.run(['configure', PRIVATE, '--store'])).code).toBe(0);
    const result = await w.run(['configure', '--remove', PRIVATE]);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain(`remove credHelpers["${PRIVATE}"] (was "ecr-ts")`);
    expect(result.stdout).not.toContain('credsStore');
    expect(w.docker()).toEqual({ auths: {}, credsStore: 'ecr-ts' });
    expect(JSON.parse((await w.run(['list'])).stdout)).toEqual({
      'ghcr.io': 'a',
      [PRIVATE]: 'AWS',
    });
  });
});
