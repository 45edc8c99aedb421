/**
 * The built-in file store through the built helper, run as an unprivileged user where permissions
 * matter (root ignores permission bits): concurrent `docker login`s all land, the file is 0600,
 * and a folder or file of another user is refused with nothing written
 * (docs/security-model.md#the-file-store).
 */
import {
  chownSync,
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { runHelper, type RunResult } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();
const SECRET = 'pa55-SENTINEL-file-store-exe';
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const user = asRoot ? { user: { uid: NOBODY, gid: NOBODY } } : {};

function world() {
  const home = tempDir('ecr-ts-file-store-');
  chmodSync(home, 0o755);
  if (asRoot) chownSync(home, NOBODY, NOBODY);
  const env = cleanEnv(home, { ECR_TS_TIMEOUT: '20' });
  const dir = join(home, '.local', 'share', 'docker-credential-ecr-ts');
  const run = (action: string, input?: string): Promise<RunResult> =>
    runHelper({
      args: [action],
      env,
      ...user,
      ...(input === undefined ? {} : { input }),
      killAfterMs: 30_000,
    });
  return { home, dir, env, file: join(dir, 'credentials.json'), run };
}

/** Makes `path` (made by this root process) the test user's, as the helper would have made it. */
function giveToUser(...paths: string[]): void {
  if (asRoot) for (const path of paths) chownSync(path, NOBODY, NOBODY);
}

/** The store's folder, made as the helper makes it (0700, the test user's). */
function makeStoreDir(w: ReturnType<typeof world>): void {
  mkdirSync(w.dir, { recursive: true, mode: 0o700 });
  giveToUser(join(w.home, '.local'), join(w.home, '.local', 'share'), w.dir);
}

/** The file store's text for `auths`, as the helper writes it. */
function storeText(auths: Record<string, { username: string; secret: string }>): string {
  return `${JSON.stringify({ version: 1, auths }, null, 2)}\n`;
}

const login = (host: string) =>
  JSON.stringify({ ServerURL: host, Username: `user-${host}`, Secret: SECRET });

describe('the file store (the default fallback)', () => {
  it('keeps every login of 20 concurrent stores, in a 0600 file, and answers get and list', async () => {
    const w = world();
    const hosts = Array.from({ length: 20 }, (_, i) => `registry${i}.example.com`);
    const results = await Promise.all(hosts.map((host) => w.run('store', login(host))));
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual(hosts.map(() => [0, '', '']));
    expect(statSync(w.file).mode & 0o777).toBe(0o600);
    expect(statSync(w.dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(w.dir)).toEqual(['credentials.json']);
    const listed = await w.run('list');
    expect(JSON.parse(listed.stdout)).toEqual(
      Object.fromEntries(hosts.map((h) => [h, `user-${h}`])),
    );
    const got = await w.run('get', 'https://registry7.example.com/v2/');
    expect(JSON.parse(got.stdout)).toEqual({
      ServerURL: 'https://registry7.example.com/v2/',
      Username: 'user-registry7.example.com',
      Secret: SECRET,
    });
    expect(await w.run('erase', 'registry7.example.com')).toMatchObject({ code: 0, stdout: '' });
    expect((await w.run('get', 'registry7.example.com')).stdout).toBe(
      'credentials not found in native keychain\n',
    );
    expect(readFileSync(w.file, 'utf8')).not.toContain('registry7.example.com');
  });

  it('refuses a store folder others can write, or that another user planted, writing nothing', async () => {
    const w = world();
    mkdirSync(join(w.home, '.local', 'share'), { recursive: true });
    mkdirSync(w.dir, { mode: 0o777 });
    chmodSync(w.dir, 0o777);
    if (asRoot) chownSync(w.dir, NOBODY, NOBODY);
    const shared = await w.run('store', login('ghcr.io'));
    expect(shared.code).toBe(1);
    expect(shared.stdout).toMatch(
      /^refusing to use .*docker-credential-ecr-ts: group or others can write it \(mode 777\)\n$/,
    );
    expect(readdirSync(w.dir)).toEqual([]);

    if (!asRoot) return;
    chmodSync(w.dir, 0o700);
    chownSync(w.dir, 0, 0); // root's folder in nobody's home: nobody must not use it
    const foreign = await w.run('store', login('ghcr.io'));
    expect(foreign.stdout).toMatch(/belongs to uid 0, not to this user \(uid 65534\)/);
    expect(readdirSync(w.dir)).toEqual([]);
  });

  it('never writes through a symlink planted at the file', async () => {
    const w = world();
    mkdirSync(w.dir, { recursive: true, mode: 0o700 });
    const victim = join(w.home, 'important.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, w.file);
    if (asRoot) {
      for (const path of [join(w.home, '.local'), join(w.home, '.local', 'share'), w.dir, victim]) {
        chownSync(path, NOBODY, NOBODY);
      }
    }
    const result = await w.run('store', login('ghcr.io'));
    expect(result.stdout).toMatch(/credentials\.json: it is a symbolic link\n$/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('refuses a store that would grow the file past its own read limit, changing nothing', async () => {
    const w = world();
    makeStoreDir(w);
    // 69 maximal logins (60 KB tokens): just under the 4 MiB the store reads; one more is over.
    const big = 'x'.repeat(60_000);
    const auths: Record<string, { username: string; secret: string }> = {
      'ghcr.io': { username: 'me', secret: SECRET },
    };
    for (let i = 1; i <= 69; i += 1) auths[`big${i}.example.com`] = { username: 'u', secret: big };
    const text = storeText(auths);
    expect(Buffer.byteLength(text)).toBeLessThan(4 * 1024 * 1024);
    writeFileSync(w.file, text, { mode: 0o600 });
    giveToUser(w.file);

    const refused = await w.run(
      'store',
      JSON.stringify({ ServerURL: 'big70.example.com', Username: 'u', Secret: big }),
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /^cannot store the login for "big70\.example\.com": the file store .*credentials\.json would grow to \d+ bytes, past its limit of 4194304 bytes; erase logins you no longer use \(docker logout\)\n$/,
    );
    expect(readFileSync(w.file, 'utf8')).toBe(text);
    expect(readdirSync(w.dir)).toEqual(['credentials.json']);
    // Everything still works, erase included (it makes the file smaller).
    expect(JSON.parse((await w.run('get', 'ghcr.io')).stdout)).toMatchObject({ Secret: SECRET });
    expect(await w.run('erase', 'big1.example.com')).toMatchObject({ code: 0, stdout: '' });
    expect(
      await w.run(
        'store',
        JSON.stringify({ ServerURL: 'small.example.com', Username: 'u', Secret: 's' }),
      ),
    ).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(Object.keys(JSON.parse((await w.run('list')).stdout))).toHaveLength(70);
  });

  it('removes what a crashed write left, so an erased login does not outlive its erase', async () => {
    const w = world();
    expect(await w.run('store', login('ghcr.io'))).toMatchObject({ code: 0, stderr: '' });
    // What a write killed between creating its temp file and renaming it leaves: the whole store.
    const leftover = join(w.dir, 'credentials.json.0123456789abcdef.tmp');
    writeFileSync(leftover, readFileSync(w.file), { mode: 0o600 });
    giveToUser(leftover);
    const longAgo = new Date(Date.now() - 3600_000);
    utimesSync(leftover, longAgo, longAgo);

    expect(await w.run('erase', 'ghcr.io')).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(w.dir).sort()).toEqual(['credentials.json']);
    for (const name of readdirSync(w.dir)) {
      expect(readFileSync(join(w.dir, name), 'utf8')).not.toContain(SECRET);
    }
  });

  it('lists a stored server URL named __proto__ like any other', async () => {
    const w = world();
    expect(await w.run('store', login('__proto__'))).toMatchObject({ code: 0, stderr: '' });
    expect(await w.run('store', login('ghcr.io'))).toMatchObject({ code: 0, stderr: '' });
    const listed = await w.run('list');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(Object.entries(JSON.parse(listed.stdout) as object)).toEqual([
      ['__proto__', 'user-__proto__'],
      ['ghcr.io', 'user-ghcr.io'],
    ]);
  });

  (asRoot ? it : it.skip)(
    "root with a user's HOME: get answers not-found with a warning, and store still refuses",
    async () => {
      const w = world();
      expect(await w.run('store', login('ghcr.io'))).toMatchObject({ code: 0, stderr: '' });
      // sudo -E: root, with the user's HOME and XDG settings.
      const asRootWithUsersHome = (action: string, input: string): Promise<RunResult> =>
        runHelper({ args: [action], env: w.env, input, killAfterMs: 30_000 });
      const got = await asRootWithUsersHome('get', 'ghcr.io');
      expect([got.code, got.stdout]).toEqual([1, 'credentials not found in native keychain\n']);
      expect(got.stderr).toMatch(
        /^docker-credential-ecr-ts: warn: not reading the file store: .*docker-credential-ecr-ts: it belongs to uid 65534, not to this user \(uid 0\)\n$/,
      );
      expect(got.stderr).not.toContain(SECRET);
      const stored = await asRootWithUsersHome('store', login('quay.io'));
      expect(stored.code).toBe(1);
      expect(stored.stdout).toMatch(/^refusing to use .*: it belongs to uid 65534/);
      expect(readFileSync(w.file, 'utf8')).not.toContain('quay.io');
    },
  );
});
