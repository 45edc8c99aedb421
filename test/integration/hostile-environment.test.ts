/**
 * The built helper under environments real machines have: settings a shell never expanded, a
 * cache folder where mkdir misbehaves, a typo in our own variables. Each must end within the
 * call's bound, keep stdout to the protocol and leave nothing where it does not belong.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { startEcrFixture } from '../support/ecr-fixture';
import { ECR_HOST as HOST } from '../support/registry-host';
import { runHelper, type RunResult } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();

/** runHelper with a working folder: docker runs the helper wherever the user typed the command. */
function runIn(cwd: string, env: Record<string, string>, input: string): Promise<RunResult> {
  return runHelper({ args: ['get'], cwd, env, input });
}

async function withFakes(
  run: (
    extra: Record<string, string>,
    ecr: { tokenCalls(): number; passwords: string[] },
  ) => Promise<void>,
): Promise<void> {
  const fx = await startEcrFixture();
  await run(fx.fakeEnv, fx.ecr);
}

describe('the token cache folder from hostile settings', () => {
  it('never writes into the working folder for a relative XDG_CACHE_HOME; caches under ~/.cache', async () => {
    await withFakes(async (extra, ecr) => {
      const home = tempDir();
      const project = tempDir('ecr-ts-project-');
      const env = cleanEnv(home, { ...extra, XDG_CACHE_HOME: 'relative/cache' });
      const first = await runIn(project, env, `${HOST}\n`);
      const second = await runIn(project, env, `${HOST}\n`);
      expect([first.code, first.stderr, second.code, second.stderr]).toEqual([0, '', 0, '']);
      expect(JSON.parse(second.stdout)).toMatchObject({ Secret: ecr.passwords[0] });
      // The project folder stays empty: a registry password there would end up in git.
      expect(readdirSync(project)).toEqual([]);
      expect(readdirSync(join(home, '.cache', 'docker-credential-ecr-ts'))).toHaveLength(1);
      expect(ecr.tokenCalls()).toBe(1);
    });
  });

  it('expands ~ in AWS_ECR_CACHE_DIR to the home folder, not a folder named ~', async () => {
    await withFakes(async (extra) => {
      const home = tempDir();
      const project = tempDir('ecr-ts-project-');
      const env = cleanEnv(home, { ...extra, AWS_ECR_CACHE_DIR: '~/.ecr' });
      const result = await runIn(project, env, `${HOST}\n`);
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(existsSync(join(project, '~'))).toBe(false);
      expect(readdirSync(join(home, '.ecr'))).toHaveLength(1);
    });
  });

  it('answers within the bound when the cache folder is under /proc (mkdir -p there never ends in Node)', async () => {
    await withFakes(async (extra, ecr) => {
      const home = tempDir();
      const env = cleanEnv(home, {
        ...extra,
        AWS_ECR_CACHE_DIR: '/proc/self/ecr-ts-cache',
        ECR_TS_TIMEOUT: '5',
      });
      const result = await runIn(home, env, `${HOST}\n`);
      expect(result.signal).toBeNull();
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ Secret: ecr.passwords[0] });
      // One warning naming the folder, no stack.
      expect(result.stderr).toMatch(
        /^docker-credential-ecr-ts: warn: cannot .*\/proc\/self\/ecr-ts-cache/,
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});

// A uid with no passwd entry (arbitrary-UID containers): os.homedir() throws for it without HOME.
const NO_PASSWD_UID = 12345;
const asRoot = process.getuid?.() === 0;
const itAsRoot = asRoot ? it : it.skip;

/** A folder anyone may write to, so that a helper run as another user could drop files in it. */
function openDir(prefix?: string): string {
  const dir = tempDir(prefix);
  chmodSync(dir, 0o777);
  return dir;
}

/** `env -i`-style: only what the helper needs, no HOME, no AWS config file variables. */
function bareEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

function runAs(
  uid: number,
  args: string[],
  options: { cwd: string; env: Record<string, string>; input?: string },
): Promise<RunResult> {
  return runHelper({ args, ...options, user: { uid, gid: uid } });
}

describe('a home folder that is empty, relative or missing', () => {
  itAsRoot.each([[''], ['relative/home']])(
    'HOME=%j never puts a cache file under the working folder',
    async (home) => {
      await withFakes(async (extra, ecr) => {
        const project = openDir('ecr-ts-project-');
        const env = bareEnv({ ...extra, HOME: home });
        const result = await runAs(NO_PASSWD_UID, ['get'], { cwd: project, env, input: HOST });
        expect([result.code, result.stderr]).toEqual([0, '']);
        expect(JSON.parse(result.stdout)).toMatchObject({ Secret: ecr.passwords[0] });
        expect(readdirSync(project)).toEqual([]);
      });
    },
  );

  it('a relative AWS_ECR_CACHE_DIR is refused with one warning: no cache, nothing in the working folder', async () => {
    await withFakes(async (extra, ecr) => {
      const home = tempDir();
      const project = tempDir('ecr-ts-project-');
      const env = cleanEnv(home, { ...extra, AWS_ECR_CACHE_DIR: 'relcache' });
      const result = await runIn(project, env, `${HOST}\n`);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ Secret: ecr.passwords[0] });
      expect(result.stderr).toBe(
        'docker-credential-ecr-ts: warn: ignoring AWS_ECR_CACHE_DIR "relcache": not an absolute path; the token cache is off\n',
      );
      expect(readdirSync(project)).toEqual([]);
      expect(existsSync(join(home, '.cache'))).toBe(false);
    });
  });

  itAsRoot(
    'no passwd entry and no HOME: version, a non-ECR get and a cached get all work',
    async () => {
      await withFakes(async (extra, ecr) => {
        const cwd = openDir();
        const cache = join(openDir(), 'cache');
        const env = bareEnv(extra);
        const version = await runAs(NO_PASSWD_UID, ['version'], { cwd, env });
        expect([version.code, version.stderr]).toEqual([0, '']);
        expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
        const other = await runAs(NO_PASSWD_UID, ['get'], { cwd, env, input: 'example.com' });
        expect([other.code, other.stdout]).toEqual([
          1,
          'credentials not found in native keychain\n',
        ]);
        const cachedEnv = { ...env, AWS_ECR_CACHE_DIR: cache };
        for (let i = 0; i < 2; i += 1) {
          const got = await runAs(NO_PASSWD_UID, ['get'], { cwd, env: cachedEnv, input: HOST });
          expect([got.code, got.stderr]).toEqual([0, '']);
          expect(JSON.parse(got.stdout)).toMatchObject({ Secret: ecr.passwords[0] });
        }
        expect(ecr.tokenCalls()).toBe(1);
        expect(readdirSync(cache)).toHaveLength(1);
        expect(readdirSync(cwd)).toEqual([]);
      });
    },
  );

  it('a HOME longer than the runtime accepts (4200 characters) does not fail the call', async () => {
    const cwd = tempDir();
    const env = bareEnv({ HOME: `/${'h'.repeat(4199)}` });
    const version = await runHelper({ args: ['version'], cwd, env });
    expect([version.code, version.stderr]).toEqual([0, '']);
    const other = await runHelper({ args: ['get'], cwd, env, input: 'example.com' });
    expect([other.code, other.stdout, other.stderr]).toEqual([
      1,
      'credentials not found in native keychain\n',
      '',
    ]);
  });
});

describe('a log file that would block', () => {
  it('ECR_TS_LOG_FILE naming a pipe nobody reads does not hang the call', async () => {
    const home = tempDir();
    const fifo = join(home, 'log.fifo');
    execFileSync('mkfifo', [fifo]);
    const env = cleanEnv(home, { ECR_TS_LOG_FILE: fifo, ECR_TS_LOG_LEVEL: 'debug' });
    const result = await runIn(home, env, 'registry-1.docker.io\n');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('credentials not found in native keychain\n');
  });
});

describe('a malformed setting of our own', () => {
  it.each([
    ['ECR_TS_TIMEOUT', 'garbage'],
    ['ECR_TS_TIMEOUT', '0'],
    ['ECR_TS_LOG_LEVEL', 'loud'],
  ])(
    '%s=%s fails on one line, on stdout for the caller and on stderr for the user',
    async (name, value) => {
      const home = tempDir();
      const result = await runIn(home, cleanEnv(home, { [name]: value }), `${HOST}\n`);
      expect(result.code).toBe(1);
      const line = result.stdout.trim();
      expect(line).toContain(`invalid ${name} "${value}"`);
      expect(result.stdout.split('\n')).toHaveLength(2);
      // docker pull drops a helper's stdout on failure; stderr is what the user sees.
      expect(result.stderr).toBe(`docker-credential-ecr-ts: error: ${line}\n`);
    },
  );
});
