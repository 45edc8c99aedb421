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
  return { home, dir, file: join(dir, 'credentials.json'), run };
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
});
