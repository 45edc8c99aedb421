/**
 * The universal-mode config file decides where ECR tokens go (an `ecr` alias hands a host the
 * token of an ECR registry), so it is trusted only as the cache folder is
 * (docs/security-model.md#config-files-others-can-write): a file of another user, one that group
 * or others can write, or one in a folder others can write is refused with one line naming it,
 * before any token is fetched. The helper runs as an unprivileged user where permissions matter
 * (root ignores permission bits); another user's files are made by chown.
 */
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, keyEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr, type FakeEcr } from '../support/fake-aws';
import { ECR_HOST } from '../support/registry-host';
import { runHelper, type RunResult } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;
/** Some other user: neither the helper's user nor root. */
const ATTACKER = 4242;
const MIRROR = 'mirror.attacker.example';
/** What the attacker writes: their host gets the victim's ECR token. */
const HOSTILE = JSON.stringify({ registries: { [MIRROR]: { ecr: ECR_HOST } } });

let keys: KeyStore;
let ecr: FakeEcr;

beforeEach(async () => {
  keys = new KeyStore();
  ecr = await startFakeEcr({ keys });
});

afterEach(async () => {
  await ecr.close();
});

/** A home of the test user (nobody when run as root), and a `get` run as that user. */
function world() {
  const home = tempDir('ecr-ts-config-trust-');
  chmodSync(home, 0o755);
  if (asRoot) chownSync(home, NOBODY, NOBODY);
  const env = cleanEnv(home, { ...keyEnv(keys.issue()), AWS_ENDPOINT_URL_ECR: ecr.url });
  const defaultDir = join(home, '.config', 'docker-credential-ecr-ts');
  const get = (host: string, extra: Record<string, string> = {}, cwd?: string) =>
    runHelper({
      args: ['get'],
      input: host,
      env: { ...env, ...extra },
      ...(asRoot ? { user: { uid: NOBODY, gid: NOBODY } } : {}),
      ...(cwd === undefined ? {} : { cwd }),
      killAfterMs: 30_000,
    });
  return { home, defaultDir, defaultFile: join(defaultDir, 'config.json'), get };
}

/** Makes `dir` (and the folders above it inside `home`) the test user's. */
function makeUserDir(home: string, dir: string, mode = 0o700): void {
  mkdirSync(dir, { recursive: true, mode });
  chmodSync(dir, mode);
  if (!asRoot) return;
  for (let path = dir; path.startsWith(home) && path !== home; path = join(path, '..')) {
    chownSync(path, NOBODY, NOBODY);
  }
}

/** A file of the test user, with `mode`. */
function writeUserFile(path: string, text: string, mode = 0o600): void {
  writeFileSync(path, text);
  chmodSync(path, mode);
  if (asRoot) chownSync(path, NOBODY, NOBODY);
}

/** The refusal, and proof that no token was fetched or answered. */
function expectRefused(result: RunResult, file: string, why: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stdout.split('\n')).toHaveLength(2); // one line
  expect(result.stdout.startsWith(`${file}: refusing to use this config file: `)).toBe(true);
  expect(result.stdout).toMatch(why);
  expect(ecr.passwords).toEqual([]);
  expect(result.stderr).toContain(result.stdout.trim());
}

const describeAsRoot = asRoot ? describe : describe.skip;

describeAsRoot('a config file another user can write is refused', () => {
  it("another user's file in a shared folder (ECR_TS_CONFIG), even one the helper's user may read", async () => {
    const w = world();
    const shared = tempDir('ecr-ts-pub-');
    chmodSync(shared, 0o1777);
    const planted = join(shared, 'team-config.json');
    writeFileSync(planted, HOSTILE);
    chmodSync(planted, 0o644);
    chownSync(planted, ATTACKER, ATTACKER);
    const result = await w.get(MIRROR, { ECR_TS_CONFIG: planted });
    expectRefused(
      result,
      planted,
      /it belongs to uid 4242, not to this user \(uid 65534\) or root$/m,
    );
  });

  it("the user's own file at the default path that others can write (0666)", async () => {
    const w = world();
    makeUserDir(w.home, w.defaultDir);
    writeUserFile(w.defaultFile, HOSTILE, 0o666);
    expectRefused(await w.get(MIRROR), w.defaultFile, /group or others can write it \(mode 666\)/);
  });

  it("the user's own file in a folder others can write", async () => {
    const w = world();
    makeUserDir(w.home, w.defaultDir, 0o777);
    writeUserFile(w.defaultFile, HOSTILE);
    expectRefused(
      await w.get(MIRROR),
      w.defaultFile,
      /its folder .*docker-credential-ecr-ts: group or others can write it \(mode 777\)/,
    );
  });

  it("a symlink to the user's file, placed in a folder of another user", async () => {
    const w = world();
    const dotfiles = join(w.home, 'dotfiles');
    makeUserDir(w.home, dotfiles);
    writeUserFile(join(dotfiles, 'ecr-ts.json'), HOSTILE);
    const foreign = tempDir('ecr-ts-foreign-');
    chmodSync(foreign, 0o755);
    chownSync(foreign, ATTACKER, ATTACKER);
    const link = join(foreign, 'config.json');
    symlinkSync(join(dotfiles, 'ecr-ts.json'), link);
    expectRefused(
      await w.get(MIRROR, { ECR_TS_CONFIG: link }),
      link,
      /the folder of the link .*: it belongs to uid 4242, not to this user/,
    );
  });
});

describeAsRoot('a config file only its user (or root) can change is used', () => {
  it("the user's own file, also through a symlink into their dotfiles", async () => {
    const w = world();
    const dotfiles = join(w.home, 'dotfiles');
    makeUserDir(w.home, dotfiles);
    writeUserFile(join(dotfiles, 'ecr-ts.json'), HOSTILE, 0o644);
    makeUserDir(w.home, w.defaultDir, 0o755);
    symlinkSync(join(dotfiles, 'ecr-ts.json'), w.defaultFile);
    const result = await w.get(MIRROR);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ ServerURL: MIRROR, Username: 'AWS' });
  });

  it("root's file in root's folder (a machine-wide ECR_TS_CONFIG)", async () => {
    const w = world();
    const etc = tempDir('ecr-ts-etc-');
    chmodSync(etc, 0o755);
    const file = join(etc, 'config.json');
    writeFileSync(file, HOSTILE);
    chmodSync(file, 0o644);
    const result = await w.get(MIRROR, { ECR_TS_CONFIG: file });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ ServerURL: MIRROR, Username: 'AWS' });
  });
});

describe('ECR_TS_CONFIG is an absolute path or starts with ~/', () => {
  it("is never read from docker's working folder", async () => {
    const w = world();
    const project = join(w.home, 'project');
    makeUserDir(w.home, project, 0o755);
    writeUserFile(join(project, 'config.json'), HOSTILE);
    const result = await w.get(MIRROR, { ECR_TS_CONFIG: 'config.json' }, project);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'invalid ECR_TS_CONFIG "config.json": not an absolute path (a relative one would be read from the folder docker runs in); give the full path, or one starting with ~/\n',
    );
    expect(ecr.passwords).toEqual([]);
  });

  it('expands ~ to the home folder', async () => {
    const w = world();
    writeUserFile(join(w.home, 'ecr-ts.json'), HOSTILE);
    const result = await w.get(MIRROR, { ECR_TS_CONFIG: '~/ecr-ts.json' });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ ServerURL: MIRROR, Username: 'AWS' });
  });
});
