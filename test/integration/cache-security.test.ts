/**
 * The token cache under a hostile machine: the threats of docs/security-model.md that concern the
 * cache, each attack reproduced as closely as a test allows (one describe per rule, named after
 * its heading there). Relative cache folders (an empty HOME, a relative AWS_ECR_CACHE_DIR) are
 * hostile-environment.test.ts's, the inotify slots wait-for-change.test.ts's. Where
 * permission bits matter the helper runs as an unprivileged user (numeric ids without a passwd
 * entry, as in arbitrary-UID containers): root ignores them. The test process must be root to
 * create those users' files; elsewhere the file is skipped.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { KeyStore, startFakeEcr, type FakeEcr } from '../support/fake-aws';
import { HELPER_BIN, runHelper, type RunResult } from '../support/run-helper';
import { ECR_HOST as HOST } from '../support/registry-host';

scrubProcessEnv();
jest.setTimeout(240_000);

const KEY = {
  accessKeyId: 'AKIAFAKEFAKEFAKE0000',
  secretAccessKey: 'fakesecret-SECRETSENTINEL-0123',
};
type User = { readonly uid: number; readonly gid: number };
const VICTIM: User = { uid: 64101, gid: 64101 };
const ATTACKER: User = { uid: 64102, gid: 64102 };
const asRoot = process.getuid?.() === 0;
const describeAsRoot = asRoot ? describe : describe.skip;

let ecr: FakeEcr;
let base = '';
beforeEach(async () => {
  const keys = new KeyStore();
  keys.add(KEY);
  ecr = await startFakeEcr({ keys });
  base = tempDir('ecr-ts-security-');
  // Like a shared root-owned folder: every user may pass through, nobody else may write.
  chmodSync(base, 0o755);
});
afterEach(async () => {
  await ecr.close();
});

/** A folder under `base` owned by `user` (root when undefined) with `mode`. */
function folder(name: string, user: User | undefined, mode = 0o700): string {
  const path = join(base, name);
  mkdirSync(path, { recursive: true });
  if (user) chownSync(path, user.uid, user.gid);
  chmodSync(path, mode);
  return path;
}

/** A file under `base` owned by `user` with `mode`. */
function file(path: string, text: string, user: User | undefined, mode: number): string {
  writeFileSync(path, text);
  if (user) chownSync(path, user.uid, user.gid);
  chmodSync(path, mode);
  return path;
}

function env(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv(home, {
    // What is under test is where files go, not speed: a busy CI machine gets a generous bound.
    ECR_TS_TIMEOUT: '60',
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ACCESS_KEY_ID: KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
    ...extra,
  });
}

function get(options: {
  home: string;
  user?: User | undefined;
  extra?: Record<string, string>;
  host?: string;
  cwd?: string;
}): Promise<RunResult> {
  return runHelper({
    args: ['get'],
    input: `${options.host ?? HOST}\n`,
    env: env(options.home, options.extra),
    cwd: options.cwd ?? options.home,
    killAfterMs: 90_000,
    ...(options.user ? { user: options.user } : {}),
  });
}

function list(home: string, user: User | undefined, extra: Record<string, string> = {}) {
  return runHelper({
    args: ['list'],
    env: env(home, extra),
    cwd: home,
    killAfterMs: 90_000,
    ...(user ? { user } : {}),
  });
}

function secretOf(result: RunResult): string {
  if (result.code !== 0)
    throw new Error(`helper failed (${result.code}): ${result.stdout} ${result.stderr}`);
  return (JSON.parse(result.stdout) as { Secret: string }).Secret;
}

function warnings(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line.includes(': warn: '));
}

function entries(dir: string): string[] {
  return readdirSync(dir).filter((name) => /^[0-9a-f]{40}\.json$/.test(name));
}

/**
 * The cache file name `user`'s `get` uses (the attacker predicts it from public facts; the test
 * reads it off a run in a private folder with the same identity), and that run's entry.
 */
async function predictEntry(
  home: string,
  user: User | undefined,
): Promise<{ name: string; text: string }> {
  const privateDir = join(home, 'predict');
  secretOf(await get({ home, user, extra: { AWS_ECR_CACHE_DIR: privateDir } }));
  const [name = ''] = entries(privateDir);
  const text = readFileSync(join(privateDir, name), 'utf8');
  rmSync(privateDir, { recursive: true, force: true });
  return { name, text };
}

/** Every path under `dir` (itself included) owned by `uid`. */
function ownedBy(dir: string, uid: number): string[] {
  const found: string[] = [];
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.uid === uid) found.push(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

describeAsRoot('a symlink at the cache file name (#symlinks-in-the-cache-folder)', () => {
  it.each([
    ['an unprivileged user', VICTIM],
    ['root', undefined],
  ] as const)(
    'in a folder another user owns, never replaces its target when %s runs get',
    async (_who, victim) => {
      const home = folder('victim', victim);
      const important = file(join(home, 'important.txt'), 'precious victim data\n', victim, 0o644);
      const { name } = await predictEntry(home, victim);
      const shared = folder('ecrshared', ATTACKER, 0o777);
      symlinkSync(important, join(shared, name));
      lchownSync(join(shared, name), ATTACKER.uid, ATTACKER.gid);

      const result = await get({ home, user: victim, extra: { AWS_ECR_CACHE_DIR: shared } });
      expect(secretOf(result)).toBe(ecr.passwords.at(-1));
      expect(readFileSync(important, 'utf8')).toBe('precious victim data\n');
      expect(statSync(important).mode & 0o777).toBe(0o644);
      expect(warnings(result)).toHaveLength(1);
      expect(warnings(result)[0]).toContain(shared);
    },
  );

  it("in the user's own folder, is replaced by a regular file and its target left alone", async () => {
    const home = folder('victim', VICTIM);
    const important = file(join(home, 'important.txt'), 'precious victim data\n', VICTIM, 0o644);
    secretOf(await get({ home, user: VICTIM }));
    const cacheDir = join(home, '.cache', 'docker-credential-ecr-ts');
    const [name = ''] = entries(cacheDir);
    const path = join(cacheDir, name);
    rmSync(path);
    symlinkSync(important, path);
    lchownSync(path, VICTIM.uid, VICTIM.gid);

    const result = await get({ home, user: VICTIM });
    const password = secretOf(result);
    expect(readFileSync(important, 'utf8')).toBe('precious victim data\n');
    expect(statSync(important).mode & 0o777).toBe(0o644);
    expect(warnings(result)).toHaveLength(1);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain(password);
  });
});

describeAsRoot('a file planted by another user (#files-planted-by-another-user)', () => {
  it("as root, a file planted in a sticky 1777 folder never receives root's token", async () => {
    const home = folder('root', undefined);
    const { name } = await predictEntry(home, undefined);
    const sticky = folder('shared1777', undefined, 0o1777);
    const planted = file(join(sticky, name), 'junk\n', ATTACKER, 0o666);

    const result = await get({ home, extra: { AWS_ECR_CACHE_DIR: sticky } });
    const password = secretOf(result);
    expect(statSync(planted).uid).toBe(ATTACKER.uid);
    expect(readFileSync(planted, 'utf8')).toBe('junk\n');
    for (const entry of readdirSync(sticky)) {
      expect(readFileSync(join(sticky, entry), 'utf8')).not.toContain(password);
    }
  });

  it('an entry another user planted with an absurd expiry is not served (sticky folder)', async () => {
    const home = folder('victim', VICTIM);
    const { name, text } = await predictEntry(home, VICTIM);
    const sticky = folder('shared1777', undefined, 0o1777);
    const forged = {
      ...JSON.parse(text),
      password: 'ATTACKER-CHOSEN-PASSWORD',
      fetchedAt: Date.now(),
      expiresAt: 99999999999999,
    };
    file(join(sticky, name), JSON.stringify(forged), ATTACKER, 0o644);

    const result = await get({ home, user: VICTIM, extra: { AWS_ECR_CACHE_DIR: sticky } });
    expect(secretOf(result)).not.toBe('ATTACKER-CHOSEN-PASSWORD');
    expect(secretOf(result)).toBe(ecr.passwords.at(-1));
  });

  it("an entry owned by another user inside the user's own folder is ignored and replaced", async () => {
    const home = folder('victim', VICTIM);
    secretOf(await get({ home, user: VICTIM }));
    const cacheDir = join(home, '.cache', 'docker-credential-ecr-ts');
    const [name = ''] = entries(cacheDir);
    const path = join(cacheDir, name);
    const forged = {
      ...JSON.parse(readFileSync(path, 'utf8')),
      password: 'ATTACKER-CHOSEN-PASSWORD',
      expiresAt: 99999999999999,
    };
    rmSync(path);
    file(path, JSON.stringify(forged), ATTACKER, 0o644);

    const result = await get({ home, user: VICTIM });
    const password = secretOf(result);
    expect(password).toBe(ecr.passwords.at(-1));
    expect(ecr.tokenCalls()).toBe(2);
    expect(warnings(result)).toHaveLength(1);
    expect(statSync(path).uid).toBe(VICTIM.uid);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("the user's own folder that others can write (0777) is not used, and said so once", async () => {
    const home = folder('victim', VICTIM);
    const open = folder('victim/open', VICTIM, 0o777);
    const first = await get({ home, user: VICTIM, extra: { AWS_ECR_CACHE_DIR: open } });
    secretOf(first);
    expect(warnings(first)).toHaveLength(1);
    expect(warnings(first)[0]).toContain(open);
    expect(readdirSync(open)).toEqual([]);
  });
});

describeAsRoot('the temp file (#predictable-temp-file-names)', () => {
  /**
   * An attacker's race made deterministic: the helper is exec'd from a shell that waits for a go
   * signal, so its pid is known before it starts, and symlinks wait at every temp name the old
   * scheme (write-file-atomic: sha1(module path, pid, thread, counter)) would open.
   */
  it('is never opened at a name an attacker can compute from the pid', async () => {
    const home = folder('victim', VICTIM);
    secretOf(await get({ home, user: VICTIM }));
    const cacheDir = join(home, '.cache', 'docker-credential-ecr-ts');
    const [name = ''] = entries(cacheDir);
    const target = join(cacheDir, name);
    rmSync(target); // the next get is a miss, and writes
    const loot = file(join(base, 'loot.txt'), '', ATTACKER, 0o666);

    const child = spawn('/bin/sh', ['-c', 'read -r go <&3; exec "$0" get', HELPER_BIN], {
      env: env(home),
      cwd: home,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      uid: VICTIM.uid,
      gid: VICTIM.gid,
    });
    const modules = [
      join(dirname(HELPER_BIN), '..', 'dist', 'write-file-atomic.cjs'),
      HELPER_BIN,
      realpathSync(HELPER_BIN),
    ];
    const planted: string[] = [];
    for (const module of modules) {
      for (const counter of [1, 2, 3]) {
        const digest = createHash('sha1')
          .update(module)
          .update(String(child.pid))
          .update('0')
          .update(String(counter))
          .digest();
        const path = `${target}.${digest.readUInt32BE(0)}`;
        if (existsSync(path)) continue;
        symlinkSync(loot, path);
        planted.push(path);
      }
    }
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
    const go = child.stdio[3] as NodeJS.WritableStream;
    go.end('go\n');
    child.stdin?.end(`${HOST}\n`);
    expect(await ended).toBe(0);

    const password = (JSON.parse(stdout) as { Secret: string }).Secret;
    expect(readFileSync(loot, 'utf8')).toBe('');
    expect(lstatSync(target).isFile()).toBe(true);
    expect(statSync(target).uid).toBe(VICTIM.uid);
    expect(readFileSync(target, 'utf8')).toContain(password);
    for (const path of planted) expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });
});

describeAsRoot('a lock that cannot be taken (#locks-nobody-will-release)', () => {
  // A helper that waited for the lock would fail at the bound (exit 1), one that goes on without
  // the lock answers long before. The bound is the assertion, not a timer here.
  const BOUND = { ECR_TS_TIMEOUT: '30' };

  it("another user's lock in a sticky shared folder: fetched without it", async () => {
    const home = folder('victim', VICTIM);
    const { name } = await predictEntry(home, VICTIM);
    const sticky = folder('shared1777', undefined, 0o1777);
    const lock = folder(`shared1777/${name}.lock`, ATTACKER, 0o755);
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);

    const result = await get({
      home,
      user: VICTIM,
      extra: { ...BOUND, AWS_ECR_CACHE_DIR: sticky },
    });
    expect(secretOf(result)).toBe(ecr.passwords.at(-1));
  });

  const variants: [string, (lock: string) => void][] = [
    ['a regular file', (lock) => file(lock, '', VICTIM, 0o600)],
    [
      'a non-empty folder',
      (lock) => {
        mkdirSync(join(lock, 'leftover'), { recursive: true });
        chownSync(lock, VICTIM.uid, VICTIM.gid);
        chownSync(join(lock, 'leftover'), VICTIM.uid, VICTIM.gid);
      },
    ],
    [
      'a dangling symlink',
      (lock) => {
        symlinkSync('/nonexistent/ecr-ts-lock', lock);
        lchownSync(lock, VICTIM.uid, VICTIM.gid);
      },
    ],
    [
      'a folder dated an hour in the future (the clock went back)',
      (lock) => {
        mkdirSync(lock);
        chownSync(lock, VICTIM.uid, VICTIM.gid);
        const future = new Date(Date.now() + 3600_000);
        utimesSync(lock, future, future);
      },
    ],
  ];

  it.each(variants)(
    "%s at the lock's name in the user's own folder: fetched anyway",
    async (_name, plant) => {
      const home = folder('victim', VICTIM);
      secretOf(await get({ home, user: VICTIM }));
      const cacheDir = join(home, '.cache', 'docker-credential-ecr-ts');
      const [name = ''] = entries(cacheDir);
      rmSync(join(cacheDir, name));
      plant(join(cacheDir, `${name}.lock`));

      const result = await get({ home, user: VICTIM, extra: BOUND });
      expect(secretOf(result)).toBe(ecr.passwords.at(-1));
      expect(ecr.tokenCalls()).toBe(2);
      expect(warnings(result).length).toBeLessThanOrEqual(1);
      // And the token it fetched is cached: the next get is a hit.
      expect(secretOf(await get({ home, user: VICTIM, extra: BOUND }))).toBe(ecr.passwords.at(-1));
      expect(ecr.tokenCalls()).toBe(2);
    },
  );
});

describeAsRoot('list and hits (#concurrent-hits-and-list)', () => {
  it('list shows all 21 hosts after 20 concurrent hits for new hosts', async () => {
    const home = folder('victim', VICTIM);
    secretOf(await get({ home, user: VICTIM }));
    const hosts = Array.from(
      { length: 20 },
      (_, i) => `2109876543${10 + i}.dkr.ecr.eu-west-1.amazonaws.com`,
    );
    const runs = await Promise.all(hosts.map((host) => get({ home, user: VICTIM, host })));
    for (const run of runs) expect(secretOf(run)).toBe(ecr.passwords[0]);
    expect(ecr.tokenCalls()).toBe(1);

    const listed = await list(home, VICTIM);
    expect(listed.code).toBe(0);
    expect(Object.keys(JSON.parse(listed.stdout) as object).sort()).toEqual(
      [HOST, ...hosts].sort(),
    );
  });

  it('a read-only cache folder answers a hit for a new host without a warning', async () => {
    const home = folder('victim', VICTIM);
    secretOf(await get({ home, user: VICTIM }));
    chmodSync(join(home, '.cache', 'docker-credential-ecr-ts'), 0o500);
    for (const account of ['999999999999', '888888888888']) {
      const hit = await get({
        home,
        user: VICTIM,
        host: `${account}.dkr.ecr.eu-west-1.amazonaws.com`,
      });
      expect(secretOf(hit)).toBe(ecr.passwords[0]);
      expect(hit.stderr).toBe('');
    }
    expect(ecr.tokenCalls()).toBe(1);
  });

  it("a successful list says nothing about other users' entries", async () => {
    const home = folder('victim', VICTIM);
    secretOf(await get({ home, user: VICTIM }));
    const cacheDir = join(home, '.cache', 'docker-credential-ecr-ts');
    // Another user's entry (root's, left by a root run with this HOME), unreadable to the user.
    file(join(cacheDir, `${'e'.repeat(40)}.json`), '{}', undefined, 0o600);
    const listed = await list(home, VICTIM);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(JSON.parse(listed.stdout)).toEqual({ [HOST]: 'AWS' });

    // And in a shared sticky folder, holding another user's private entry.
    const sticky = folder('shared1777', undefined, 0o1777);
    file(join(sticky, `${'f'.repeat(40)}.json`), '{}', ATTACKER, 0o600);
    const shared = await list(home, VICTIM, { AWS_ECR_CACHE_DIR: sticky });
    expect([shared.code, shared.stderr]).toEqual([0, '']);
  });
});

describe('a local clock 13 hours fast (#a-fast-local-clock)', () => {
  it('caches the token anyway: one API call for three gets, and no warning', async () => {
    await ecr.close();
    const keys = new KeyStore();
    keys.add(KEY);
    // The server says the token expires an hour before what this machine's clock calls now.
    ecr = await startFakeEcr({ keys, lifetimeSeconds: -3600 });
    const home = tempDir('ecr-ts-skew-');
    for (let call = 1; call <= 3; call += 1) {
      const result = await get({ home });
      expect(secretOf(result)).toBe(ecr.passwords[0]);
      expect(result.stderr).toBe('');
    }
    expect(ecr.tokenCalls()).toBe(1);
  });
});

describeAsRoot("root running with a user's HOME (#root-with-a-users-home)", () => {
  it.each([
    ['without ~/.cache', false],
    ['with ~/.cache of the user', true],
  ])(
    '%s creates no root-owned folder there, and the user keeps a working cache',
    async (_name, withCache) => {
      const home = folder('victim', VICTIM, 0o755);
      if (withCache) folder('victim/.cache', VICTIM, 0o700);
      const asRootRun = await get({ home });
      secretOf(asRootRun);
      expect(warnings(asRootRun)).toHaveLength(1);
      expect(ownedBy(home, 0)).toEqual([]);

      const asUser = await get({ home, user: VICTIM });
      secretOf(asUser);
      expect(asUser.stderr).toBe('');
      expect(entries(join(home, '.cache', 'docker-credential-ecr-ts'))).toHaveLength(1);
    },
  );
});
