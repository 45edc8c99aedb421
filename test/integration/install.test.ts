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
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { ECR_HOST as PRIVATE } from '../support/registry-host';

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
    const first = await install(['--prefix', prefix, '--uninstall']);
    expect(first.code).toBe(0);
    expect(existsSync(join(prefix, 'bin', NAME))).toBe(false);
    const second = await install(['--prefix', prefix, '--uninstall']);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('not installed; nothing to do');
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
      expect(result.stderr.trim()).toBe(
        `install.sh: error: ${file} does not match its SHA256SUMS entry (damaged or replaced download); nothing installed`,
      );
      expect(existsSync(join(home, 'p', 'bin', NAME))).toBe(false);
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

    it('says what to do when npm is not there to build it', async () => {
      const { tree, path } = sourceTree(false);
      const result = await install(
        ['--prefix', join(home, 'p')],
        { PATH: path },
        join(tree, 'install.sh'),
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `install.sh: error: ${join(tree, 'dist', NAME)} is missing and npm is not installed to build it: install Node.js 20+ or pass --from FILE`,
      );
    });
  });
});
