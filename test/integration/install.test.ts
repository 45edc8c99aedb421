import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { ECR_HOST as PRIVATE } from '../support/registry-host';
import { VERSION } from '../../src/product';
import { createSigningKey, type SigningKey } from '../support/signing-key';
import { startFakeEngine } from '../support/fake-engine';
import { haveTool } from '../e2e/find-tool';

scrubProcessEnv();

const ROOT = join(__dirname, '..', '..');
const INSTALL = join(ROOT, 'install.sh');
const EXECUTABLE = join(ROOT, 'dist', 'docker-credential-ecr-ts');
const NAME = 'docker-credential-ecr-ts';
const RELEASE = join(ROOT, 'dist', 'release');
const PLATFORMS = [
  'linux-x64',
  'linux-arm64',
  'linux-x64-musl',
  'linux-arm64-musl',
  'darwin-x64',
  'darwin-arm64',
];

/** This machine as the release files name it (what install.sh must detect). */
function thisPlatform(): string {
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  const musl = process.platform === 'linux' && !report.header?.glibcVersionRuntime;
  return `${process.platform}-${process.arch}${musl ? '-musl' : ''}`;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('install.sh (in temp folders)', () => {
  let home: string;
  beforeAll(() => {
    if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing: run npm run build`);
  });
  beforeEach(() => {
    home = tempDir('ecr-ts-install-');
    chmodSync(home, 0o755);
  });

  const install = (args: string[], extra: Record<string, string> = {}, script = INSTALL) =>
    run('bash', [script, ...args], cleanEnv(home, extra));
  const leftovers = (dir: string) => readdirSync(dir).filter((name) => name !== NAME);

  it('--prefix DIR installs DIR/bin/docker-credential-ecr-ts, which runs', async () => {
    const prefix = join(home, 'prefix');
    const result = await install(['--prefix', prefix]);
    expect(result.code).toBe(0);
    const dest = join(prefix, 'bin', NAME);
    expect(result.stderr).toContain(`installed ${dest}`);
    expect(result.stderr).toContain('is not on your PATH');
    expect(statSync(dest).mode & 0o777).toBe(0o755);
    const version = await run(dest, ['version'], cleanEnv(home));
    expect(version.stdout).toMatch(/^docker-credential-ecr-ts \(npm:docker-credential-ecr-ts\) \d/);
    expect(leftovers(join(prefix, 'bin'))).toEqual([]);
  });

  it('is idempotent: a second run leaves the installed file as it is', async () => {
    const prefix = join(home, 'prefix');
    expect((await install(['--prefix', prefix])).code).toBe(0);
    const before = statSync(join(prefix, 'bin', NAME));
    const again = await install(['--prefix', prefix], {
      PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`,
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already up to date');
    expect(again.stderr).not.toContain('not on your PATH');
    const after = statSync(join(prefix, 'bin', NAME));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('replaces an older install with the new file', async () => {
    const bin = join(home, 'prefix', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, NAME), '#!/bin/sh\necho "docker-credential-ecr-ts (old) 0.0.1"\n', {
      mode: 0o755,
    });
    const result = await install(['--prefix', join(home, 'prefix')]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(bin, NAME)).equals(readFileSync(EXECUTABLE))).toBe(true);
  });

  it('says which version it upgraded from and to, then that it is up to date', async () => {
    const bin = join(home, 'prefix', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, NAME), `#!/bin/sh\necho "${NAME} (npm:${NAME}) 0.0.1"\n`, {
      mode: 0o755,
    });
    const upgrade = await install(['--prefix', join(home, 'prefix')]);
    expect(upgrade.code).toBe(0);
    expect(upgrade.stderr).toContain(
      `install.sh: upgraded 0.0.1 → ${VERSION} (${join(bin, NAME)})`,
    );
    const again = await install(['--prefix', join(home, 'prefix')]);
    expect(again.stderr).toContain(`${join(bin, NAME)} is already up to date (${VERSION})`);
    expect(leftovers(bin)).toEqual([]);
  });

  it('refuses a folder at the destination, and leaves nothing in it', async () => {
    const folder = join(home, 'prefix', 'bin', NAME);
    mkdirSync(folder, { recursive: true });
    const result = await install(['--prefix', join(home, 'prefix')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `install.sh: error: ${folder} is a folder, not the executable; nothing installed`,
    );
    expect(readdirSync(folder)).toEqual([]);
    expect(leftovers(join(home, 'prefix', 'bin'))).toEqual([]);
  });

  it('refuses to replace another program of the same name', async () => {
    const bin = join(home, 'prefix', 'bin');
    mkdirSync(bin, { recursive: true });
    const other = '#!/bin/sh\necho "other tool 2.0"\n';
    writeFileSync(join(bin, NAME), other, { mode: 0o755 });
    const result = await install(['--prefix', join(home, 'prefix')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(bin, NAME)} is another program`);
    expect(readFileSync(join(bin, NAME), 'utf8')).toBe(other);
    expect(leftovers(bin)).toEqual([]);
  });

  it('installs into ~/.local/bin for a user who is not root', async () => {
    const from = join(home, NAME);
    copyFileSync(EXECUTABLE, from);
    chmodSync(from, 0o755);
    const env = cleanEnv(home);
    const result =
      process.getuid?.() === 0
        ? await (async () => {
            chownSync(home, 65534, 65534);
            return run(
              'setpriv',
              ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', INSTALL, '--from', from],
              env,
            );
          })()
        : await install(['--from', from]);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const dest = join(home, '.local', 'bin', NAME);
    expect(result.stderr).toContain(`installed ${dest}`);
    expect(readFileSync(dest).equals(readFileSync(EXECUTABLE))).toBe(true);
  });

  it('--configure REGISTRY writes credHelpers into DOCKER_CONFIG', async () => {
    const dockerConfig = join(home, 'docker');
    const result = await install(['--prefix', join(home, 'p'), '--configure', PRIVATE], {
      DOCKER_CONFIG: dockerConfig,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8'))).toEqual({
      credHelpers: { [PRIVATE]: 'ecr-ts' },
    });
  });

  it('--configure with a registry that is not ECR fails with the reason, the executable installed', async () => {
    const result = await install(['--prefix', join(home, 'p'), '--configure', 'docker.io'], {
      DOCKER_CONFIG: join(home, 'docker'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"docker.io" is not an Amazon ECR registry');
    expect(result.stderr).toContain('install.sh: error: configure failed');
    expect(existsSync(join(home, 'p', 'bin', NAME))).toBe(true);
  });

  it('--uninstall removes it, and a second --uninstall is fine', async () => {
    const prefix = join(home, 'prefix');
    expect((await install(['--prefix', prefix])).code).toBe(0);
    const first = await install(['--prefix', prefix, '--uninstall'], {
      DOCKER_CONFIG: join(home, 'docker'),
    });
    expect(first.stderr).not.toContain('error');
    expect(first.code).toBe(0);
    expect(existsSync(join(prefix, 'bin', NAME))).toBe(false);
    const second = await install(['--prefix', prefix, '--uninstall']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('not installed; nothing to do');
  });

  describe('--uninstall and the docker config', () => {
    const configured = async () => {
      const prefix = join(home, 'prefix');
      const docker = join(home, 'docker');
      mkdirSync(docker);
      writeFileSync(join(docker, 'config.json'), '{"auths": {"ghcr.io": {}}}\n');
      const env = { DOCKER_CONFIG: docker };
      const result = await install(['--prefix', prefix, '--configure', PRIVATE, '--store'], env);
      expect(result.code).toBe(0);
      return { prefix, env, file: join(docker, 'config.json') };
    };

    it('takes our entries out of the docker config first, so docker keeps working', async () => {
      const { prefix, env, file } = await configured();
      const result = await install(['--prefix', prefix, '--uninstall'], env);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('install.sh: remove credsStore (was "ecr-ts")');
      expect(result.stderr).toContain(
        `install.sh: remove credHelpers["${PRIVATE}"] (was "ecr-ts")`,
      );
      expect(result.stderr).toContain(`install.sh: removed ${join(prefix, 'bin', NAME)}`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ auths: { 'ghcr.io': {} } });
      expect(existsSync(join(prefix, 'bin', NAME))).toBe(false);
    });

    it('puts the logins --store moved into the file store back: docker pulls with them after', async () => {
      if (!haveTool('the docker CLI', ['docker', '--version'])) return;
      const secret = 'pa55-SENTINEL-uninstall';
      const engine = await startFakeEngine({
        privateRegistries: { 'registry.example.com': { username: 'me', password: secret } },
      });
      try {
        const prefix = join(home, 'prefix');
        const docker = join(home, 'docker');
        mkdirSync(docker);
        const auth = Buffer.from(`me:${secret}`).toString('base64');
        const file = join(docker, 'config.json');
        writeFileSync(file, JSON.stringify({ auths: { 'registry.example.com': { auth } } }));
        const env = {
          DOCKER_CONFIG: docker,
          DOCKER_HOST: engine.dockerHost,
          PATH: `${join(prefix, 'bin')}:${process.env['PATH'] ?? ''}`,
        };
        expect((await install(['--prefix', prefix, '--store'], env)).code).toBe(0);
        expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ auths: {}, credsStore: 'ecr-ts' });
        const pull = () =>
          run('docker', ['pull', 'registry.example.com/app:1'], cleanEnv(home, env));
        // Through the helper, from its file store.
        expect((await pull()).code).toBe(0);

        const result = await install(['--prefix', prefix, '--uninstall'], env);
        expect(result.code).toBe(0);
        expect(result.stderr).not.toContain(secret);
        expect(result.stderr).toContain(
          'install.sh: move the login for "registry.example.com" (user "me") from the file store into auths',
        );
        expect(existsSync(join(prefix, 'bin', NAME))).toBe(false);
        // docker itself, with the helper gone: the login is in auths again.
        const after = await pull();
        expect([after.code, after.stderr]).toEqual([0, '']);
        expect(engine.pulls().at(-1)?.registryAuth).toMatchObject({
          username: 'me',
          password: secret,
        });
      } finally {
        await engine.close();
      }
    });

    it('--keep-config leaves the docker config as it is', async () => {
      const { prefix, env, file } = await configured();
      const before = readFileSync(file, 'utf8');
      const result = await install(['--prefix', prefix, '--uninstall', '--keep-config'], env);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('entries in your docker config.json are left as they are');
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(existsSync(join(prefix, 'bin', NAME))).toBe(false);
    });

    it('removes nothing when the docker config cannot be edited, and says how to go on', async () => {
      const { prefix, env, file } = await configured();
      writeFileSync(file, '{"credsStore": "ecr-ts",');
      const result = await install(['--prefix', prefix, '--uninstall'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('is not valid JSON');
      expect(result.stderr).toContain(
        'install.sh: error: configure --remove failed (see above); nothing removed',
      );
      expect(existsSync(join(prefix, 'bin', NAME))).toBe(true);
    });
  });

  it('--uninstall leaves a file of that name that is another program', async () => {
    const bin = join(home, 'prefix', 'bin');
    mkdirSync(bin, { recursive: true });
    const other = '#!/bin/sh\necho "other tool"\n';
    writeFileSync(join(bin, NAME), other, { mode: 0o755 });
    const result = await install(['--prefix', join(home, 'prefix'), '--uninstall']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `install.sh: error: ${join(bin, NAME)} is not ${NAME} (it does not answer 'version' as ${NAME}); left it in place`,
    );
    expect(readFileSync(join(bin, NAME), 'utf8')).toBe(other);
  });

  it("--uninstall leaves npm's link to the npm package to npm", async () => {
    const prefix = join(home, 'prefix');
    const target = join(prefix, 'lib', 'node_modules', NAME, 'bin');
    mkdirSync(target, { recursive: true });
    mkdirSync(join(prefix, 'bin'));
    copyFileSync(EXECUTABLE, join(target, NAME));
    symlinkSync(`../lib/node_modules/${NAME}/bin/${NAME}`, join(prefix, 'bin', NAME));
    const result = await install(['--prefix', prefix, '--uninstall']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `is npm's link to the npm package: use npm uninstall -g ${NAME}`,
    );
    expect(existsSync(join(prefix, 'bin', NAME))).toBe(true);
  });

  it('--uninstall leaves a folder of that name', async () => {
    const folder = join(home, 'prefix', 'bin', NAME);
    mkdirSync(folder, { recursive: true });
    const result = await install(['--prefix', join(home, 'prefix'), '--uninstall']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${folder} is a folder, not the executable; nothing removed`);
    expect(existsSync(folder)).toBe(true);
  });

  it('never half-installs: a file that does not run is refused and nothing is left behind', async () => {
    const broken = join(home, 'broken');
    writeFileSync(broken, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const bin = join(home, 'prefix', 'bin');
    const result = await install(['--prefix', join(home, 'prefix'), '--from', broken]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `install.sh: error: ${broken} does not run on this machine ('${NAME} version' failed); nothing installed`,
    ]);
    expect(readdirSync(bin)).toEqual([]);
  });

  it.each([
    [['--bogus'], "unknown argument '--bogus'"],
    [['--from', '/nonexistent/file'], '--from /nonexistent/file: no such file'],
    [['--prefix'], '--prefix needs a folder'],
    [['--configure'], '--configure needs at least one ECR registry'],
    [['--uninstall', '--configure', PRIVATE], '--uninstall and --configure do not go together'],
  ])('fails with one clear line for %j', async (args, words) => {
    const result = await install([
      ...args,
      ...(args.includes('--prefix') ? [] : ['--prefix', join(home, 'p')]),
    ]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`install.sh: error: ${words}`);
  });

  it('refuses a prefix it cannot write to', async () => {
    const file = join(home, 'not-a-folder');
    writeFileSync(file, '');
    const result = await install(['--prefix', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`install.sh: error: cannot create ${file}/bin`);
  });

  describe('from a release folder', () => {
    /**
     * A release folder as build:release makes it, with small stand-ins that say which platform
     * they are (each runs here: they are shell scripts), and install.sh inside.
     */
    function releaseFolder(): string {
      const dir = join(home, 'release');
      mkdirSync(dir);
      const sums = PLATFORMS.map((platform) => {
        const file = `${NAME}-${platform}`;
        const text = `#!/bin/sh\necho "${NAME} (release ${platform}) 1.0.0"\n`;
        writeFileSync(join(dir, file), text, { mode: 0o755 });
        return `${createHash('sha256').update(text).digest('hex')}  ${file}\n`;
      });
      writeFileSync(join(dir, 'SHA256SUMS'), sums.join(''));
      copyFileSync(INSTALL, join(dir, 'install.sh'));
      return dir;
    }
    const installed = () => readFileSync(join(home, 'p', 'bin', NAME), 'utf8');

    it("installs this machine's file, checked against SHA256SUMS", async () => {
      const dir = releaseFolder();
      const result = await install(['--prefix', join(home, 'p')], {}, join(dir, 'install.sh'));
      expect(result.stderr).not.toContain('error');
      expect(result.code).toBe(0);
      expect(installed()).toContain(`(release ${thisPlatform()})`);
    });

    it('installs the file --platform names (--release DIR from anywhere)', async () => {
      const dir = releaseFolder();
      const result = await install([
        '--prefix',
        join(home, 'p'),
        '--release',
        dir,
        '--platform',
        'linux-arm64-musl',
      ]);
      expect(result.code).toBe(0);
      expect(installed()).toContain('(release linux-arm64-musl)');
    });

    it('refuses a file that does not match SHA256SUMS, and installs nothing', async () => {
      const dir = releaseFolder();
      const file = join(dir, `${NAME}-${thisPlatform()}`);
      writeFileSync(file, `${readFileSync(file, 'utf8')}# changed\n`);
      const result = await install(['--prefix', join(home, 'p')], {}, join(dir, 'install.sh'));
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n').pop()).toBe(
        `install.sh: error: ${file} does not match its SHA256SUMS entry (damaged or replaced download); nothing installed`,
      );
      expect(readdirSync(join(home, 'p', 'bin'))).toEqual([]);
    });

    it('installs the bytes it checked: a file swapped right after its check is not installed', async () => {
      const dir = releaseFolder();
      const file = join(dir, `${NAME}-${thisPlatform()}`);
      const good = readFileSync(file, 'utf8');
      // A racer with write access to the folder swaps the file as soon as the digest is taken.
      const tools = join(home, 'racer');
      mkdirSync(tools);
      const evil = `#!/bin/sh\necho "${NAME} (evil) 6.6.6"\n`;
      writeFileSync(join(home, 'evil'), evil);
      writeFileSync(
        join(tools, 'sha256sum'),
        `#!/bin/sh\n/usr/bin/sha256sum "$@"\ncp '${join(home, 'evil')}' '${file}'\n`,
        { mode: 0o755 },
      );
      const result = await install(
        ['--prefix', join(home, 'p')],
        {
          PATH: `${tools}:${process.env['PATH'] ?? ''}`,
        },
        join(dir, 'install.sh'),
      );
      expect(readFileSync(file, 'utf8')).toBe(evil); // the swap happened
      expect(result.code).toBe(0);
      expect(installed()).toBe(good);
    });

    it('says plainly that an unsigned SHA256SUMS was checked for hashes only', async () => {
      const dir = releaseFolder();
      const result = await install(['--prefix', join(home, 'p')], {}, join(dir, 'install.sh'));
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        'install.sh: note: SHA256SUMS is not signed: checked SHA256 hashes only, which catch a damaged download, not a replaced one',
      );
    });

    describe('a signed SHA256SUMS (a throwaway gpg key)', () => {
      let key: SigningKey;
      let other: SigningKey;
      let keys: string;
      beforeAll(() => {
        keys = tempDir('ecr-ts-keys-');
        key = createSigningKey(join(keys, 'release'));
        other = createSigningKey(join(keys, 'other'), 'someone else');
        key.exportPublic(join(keys, 'release.asc'));
        other.exportPublic(join(keys, 'other.asc'));
      });
      afterAll(() => {
        key.close();
        other.close();
      });
      const signed = (by: SigningKey = key) => {
        const dir = releaseFolder();
        by.sign(join(dir, 'SHA256SUMS'));
        return dir;
      };
      const lastLine = (text: string) => text.trim().split('\n').pop();

      it('--key FILE: checks the signature, names the key, installs', async () => {
        const dir = signed();
        const result = await install(
          ['--prefix', join(home, 'p'), '--key', join(keys, 'release.asc')],
          {},
          join(dir, 'install.sh'),
        );
        expect(result.stderr).not.toContain('error');
        expect(result.code).toBe(0);
        expect(result.stderr).toContain(
          `install.sh: SHA256SUMS: signature good, key ${key.fingerprint} (given with --key)`,
        );
        expect(installed()).toContain(`(release ${thisPlatform()})`);
      });

      it('a key shipped in the folder: checked, and said to be only as good as the folder', async () => {
        const dir = signed();
        key.exportPublic(join(dir, 'release-key.asc'));
        const result = await install(['--prefix', join(home, 'p')], {}, join(dir, 'install.sh'));
        expect(result.code).toBe(0);
        expect(result.stderr).toContain(
          `SHA256SUMS: signature good, by the key shipped beside it (${key.fingerprint}). That key came with the files: compare its fingerprint with the one the project publishes, or pass --key FILE`,
        );
      });

      it('a replaced file with a SHA256SUMS rewritten to match: refused, nothing installed', async () => {
        const dir = signed();
        const name = `${NAME}-${thisPlatform()}`;
        const evil = `#!/bin/sh\necho "${NAME} (evil) 6.6.6"\n`;
        writeFileSync(join(dir, name), evil);
        const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').replace(
          new RegExp(`^[0-9a-f]{64}(  ${name})$`, 'm'),
          `${createHash('sha256').update(evil).digest('hex')}$1`,
        );
        writeFileSync(join(dir, 'SHA256SUMS'), sums);
        const result = await install(
          ['--prefix', join(home, 'p'), '--key', join(keys, 'release.asc')],
          {},
          join(dir, 'install.sh'),
        );
        expect(result.code).toBe(1);
        expect(lastLine(result.stderr)).toBe(
          `install.sh: error: the signature SHA256SUMS.asc does not verify with ${join(keys, 'release.asc')} (files replaced or damaged, or another key); nothing installed`,
        );
        expect(existsSync(join(home, 'p', 'bin', NAME))).toBe(false);
      });

      it("a signature by another key than --key's: refused", async () => {
        const dir = signed(other);
        const result = await install(
          ['--prefix', join(home, 'p'), '--key', join(keys, 'release.asc')],
          {},
          join(dir, 'install.sh'),
        );
        expect(result.code).toBe(1);
        expect(lastLine(result.stderr)).toContain('does not verify with');
        expect(existsSync(join(home, 'p', 'bin', NAME))).toBe(false);
      });

      it('--key with no signature in the folder: refused', async () => {
        const dir = releaseFolder();
        const result = await install(
          ['--prefix', join(home, 'p'), '--key', join(keys, 'release.asc')],
          {},
          join(dir, 'install.sh'),
        );
        expect(result.code).toBe(1);
        expect(lastLine(result.stderr)).toBe(
          `install.sh: error: --key given, but ${dir} has no SHA256SUMS.asc (signature) to check; nothing installed`,
        );
      });

      it('a signature but no key: installs, saying that only hashes were checked', async () => {
        const dir = signed();
        const result = await install(['--prefix', join(home, 'p')], {}, join(dir, 'install.sh'));
        expect(result.code).toBe(0);
        expect(result.stderr).toContain(
          'install.sh: note: SHA256SUMS.asc is there but there is no key to check it with (--key FILE): checked SHA256 hashes only',
        );
      });
    });

    it('checks --from FILE too when it sits in a release folder that lists it', async () => {
      const dir = releaseFolder();
      const file = join(dir, `${NAME}-linux-arm64`);
      writeFileSync(file, '#!/bin/sh\necho "docker-credential-ecr-ts (evil) 6.6.6"\n');
      const result = await install(['--prefix', join(home, 'p'), '--from', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('does not match its SHA256SUMS entry');
    });

    it('on a platform with no file, names the platforms there and the npm package', async () => {
      const dir = releaseFolder();
      const result = await install(
        ['--prefix', join(home, 'p'), '--platform', 'freebsd-x64'],
        {},
        join(dir, 'install.sh'),
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `install.sh: error: no executable for freebsd-x64 in ${dir} (there are: ${PLATFORMS.join(', ')}); on another platform use the npm package with Node.js 20.19+: npm install -g ${NAME}`,
      );
    });

    (existsSync(join(RELEASE, 'SHA256SUMS')) ? it : it.skip)(
      'the real release folder (npm run build:release) installs a file that runs here',
      async () => {
        const result = await install(
          ['--prefix', join(home, 'p')],
          {},
          join(RELEASE, 'install.sh'),
        );
        expect(result.stderr).not.toContain('error');
        expect(result.code).toBe(0);
        const version = await run(join(home, 'p', 'bin', NAME), ['version'], cleanEnv(home));
        expect(version.stdout).toMatch(
          /^docker-credential-ecr-ts \(npm:docker-credential-ecr-ts\) \d/,
        );
      },
    );
  });

  describe('when the executable is not built yet', () => {
    /** A source tree with install.sh and an `npm` that records its calls and "builds" the file. */
    function sourceTree(withNpm: boolean): { tree: string; path: string; calls: string } {
      const tree = join(home, 'src');
      const tools = join(home, 'tools');
      mkdirSync(tree);
      mkdirSync(tools);
      copyFileSync(INSTALL, join(tree, 'install.sh'));
      writeFileSync(join(tree, 'package.json'), '{}');
      const calls = join(home, 'npm-calls');
      // Only the tools install.sh needs: no real npm, node or compiler can be reached.
      for (const tool of [
        'bash',
        'dirname',
        'id',
        'mkdir',
        'rm',
        'cmp',
        'mktemp',
        'cp',
        'chmod',
        'mv',
        'sed',
        'find',
        'head',
        'sort',
        'timeout',
        'readlink',
      ]) {
        for (const dir of ['/usr/bin', '/bin']) {
          if (existsSync(join(dir, tool))) {
            symlinkSync(join(dir, tool), join(tools, tool));
            break;
          }
        }
      }
      if (withNpm) {
        writeFileSync(
          join(tools, 'npm'),
          `#!/bin/sh\necho "$*" >> '${calls}'\nif [ "$1 $2" = "run build" ]; then mkdir -p dist && cp '${EXECUTABLE}' dist/${NAME}; fi\n`,
          { mode: 0o755 },
        );
      }
      return { tree, path: tools, calls };
    }

    it('builds it with npm ci and npm run build, then installs it', async () => {
      const { tree, path, calls } = sourceTree(true);
      const result = await install(
        ['--prefix', join(home, 'p')],
        { PATH: path },
        join(tree, 'install.sh'),
      );
      expect(result.stderr).not.toContain('error');
      expect(result.code).toBe(0);
      expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
        'ci --no-audit --no-fund',
        'run build',
      ]);
      expect(readFileSync(join(home, 'p', 'bin', NAME)).equals(readFileSync(EXECUTABLE))).toBe(
        true,
      );
    });

    /** The tree with a build, its dependencies installed, and the times given (seconds ago). */
    function builtTree(ages: { build: number; source: number }) {
      const made = sourceTree(true);
      const { tree } = made;
      const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
      mkdirSync(join(tree, 'dist'));
      mkdirSync(join(tree, 'src'));
      mkdirSync(join(tree, 'node_modules'));
      writeFileSync(join(tree, 'package-lock.json'), '{}');
      writeFileSync(join(tree, 'node_modules', '.package-lock.json'), '{}');
      writeFileSync(join(tree, 'src', 'main.ts'), '');
      copyFileSync(EXECUTABLE, join(tree, 'dist', NAME));
      for (const file of ['package.json', 'package-lock.json', 'node_modules/.package-lock.json']) {
        utimesSync(join(tree, file), ago(1000), ago(1000));
      }
      utimesSync(join(tree, 'dist', NAME), ago(ages.build), ago(ages.build));
      utimesSync(join(tree, 'src', 'main.ts'), ago(ages.source), ago(ages.source));
      return made;
    }

    it('rebuilds (npm run build, no npm ci) when a source is newer than the build', async () => {
      const { tree, path, calls } = builtTree({ build: 100, source: 10 });
      const result = await install(
        ['--prefix', join(home, 'p')],
        { PATH: path },
        join(tree, 'install.sh'),
      );
      expect(result.stderr).not.toContain('error');
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('the sources are newer than the build');
      expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['run build']);
    });

    it('installs the build as it is when it is newer than every source', async () => {
      const { tree, path, calls } = builtTree({ build: 10, source: 100 });
      const result = await install(
        ['--prefix', join(home, 'p')],
        { PATH: path },
        join(tree, 'install.sh'),
      );
      expect(result.code).toBe(0);
      expect(existsSync(calls)).toBe(false);
      expect(readFileSync(join(home, 'p', 'bin', NAME)).equals(readFileSync(EXECUTABLE))).toBe(
        true,
      );
    });

    it('says what to do when npm is not there to build it', async () => {
      const { tree, path } = sourceTree(false);
      const result = await install(
        ['--prefix', join(home, 'p')],
        { PATH: path },
        join(tree, 'install.sh'),
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `install.sh: error: ${join(tree, 'dist', NAME)} is missing or older than the sources, and npm is not installed to build it: install Node.js 20+ or pass --from FILE`,
      );
    });
  });
});
