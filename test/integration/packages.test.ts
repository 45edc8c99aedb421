/**
 * The packages `npm run build:packages` makes in dist/release/: the .deb files (metadata, contents,
 * lintian, and the amd64 one installed with dpkg into a throwaway root, never this machine's
 * /usr/bin, where the installed file answers `version` and a cache-hit `get`), the .rpm files
 * (metadata and contents with rpm -qip/-qlp), the Homebrew formula (URLs and digests: brew cannot
 * run here), the SBOM, and SHA256SUMS over all of them.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingPeer } from '../e2e/find-tool';
import { cleanEnv, keyEnv, scrubProcessEnv, tempDir } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { runHelper } from '../support/run-helper';
import { ECR_HOST as PRIVATE } from '../support/registry-host';

scrubProcessEnv();

const ROOT = join(__dirname, '..', '..');
const RELEASE = join(ROOT, 'dist', 'release');
const NAME = 'docker-credential-ecr-ts';
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const DEBS = { amd64: `${NAME}_${VERSION}_amd64.deb`, arm64: `${NAME}_${VERSION}_arm64.deb` };
const RPMS = {
  x86_64: `${NAME}-${VERSION}-1.x86_64.rpm`,
  aarch64: `${NAME}-${VERSION}-1.aarch64.rpm`,
};
const DOC = `/usr/share/doc/${NAME}`;
const run = promisify(execFile);

// CI builds the packages first (.ci/run); elsewhere a missing build skips, saying so.
const present = existsSync(join(RELEASE, DEBS.amd64));
if (!present && process.env['REQUIRE_E2E_PEERS']) {
  throw new Error(`${RELEASE} has no packages: run \`npm run build:packages\` first`);
}
if (!present) {
  process.stderr.write(
    `packages.test.ts: skipped, no packages in ${RELEASE} (npm run build:packages)\n`,
  );
}
const have = (tool: string, probe: string[]): boolean =>
  spawnSync(tool, probe, { stdio: 'ignore' }).status === 0 ||
  missingPeer(`${tool} is not installed (scripts/install-test-deps.sh)`);

const sums = (): Map<string, string> =>
  new Map(
    readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [digest = '', file = ''] = line.split(/\s+\*?/);
        return [file, digest];
      }),
  );
const digestOf = (file: string) =>
  createHash('sha256')
    .update(readFileSync(join(RELEASE, file)))
    .digest('hex');

(present ? describe : describe.skip)('the packages (npm run build:packages)', () => {
  it('are all listed in SHA256SUMS with their digests', () => {
    const listed = sums();
    for (const file of [...Object.values(DEBS), ...Object.values(RPMS), `${NAME}.rb`]) {
      expect([file, listed.get(file)]).toEqual([file, digestOf(file)]);
    }
  });

  describe.each(Object.entries(DEBS))('the %s .deb', (arch, file) => {
    const deb = join(RELEASE, file);
    const field = (name: string) =>
      execFileSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }).trim();

    it('has the version of package.json, this architecture, and depends on the C library only', () => {
      expect([field('Package'), field('Version'), field('Architecture')]).toEqual([
        NAME,
        VERSION,
        arch,
      ]);
      expect(field('Depends')).toBe('libc6 (>= 2.17)');
      expect(field('Maintainer')).toMatch(/^.+ <[^ >]+@[^ >]+>$/);
    });

    it('holds the executable, the man page, README, LICENSE and changelog, owned by root', () => {
      const listing = execFileSync('dpkg-deb', ['--contents', deb], { encoding: 'utf8' });
      const files = new Map(
        listing
          .trim()
          .split('\n')
          .map((line) => {
            const parts = line.split(/\s+/);
            return [(parts[5] ?? '').replace(/^\./, ''), `${parts[0]} ${parts[1]}`];
          }),
      );
      expect(files.get(`/usr/bin/${NAME}`)).toBe('-rwxr-xr-x root/root');
      for (const path of [
        `/usr/share/man/man1/${NAME}.1.gz`,
        `${DOC}/README.md.gz`,
        `${DOC}/LICENSE`,
        `${DOC}/CHANGELOG.md.gz`,
        `${DOC}/changelog.gz`,
        `${DOC}/copyright`,
      ]) {
        expect([path, files.get(path)]).toEqual([path, '-rw-r--r-- root/root']);
      }
    });

    it('has no maintainer script: installing it touches no docker config', () => {
      const control = execFileSync('dpkg-deb', ['--ctrl-tarfile', deb]);
      const names = execFileSync('tar', ['-t'], { input: control, encoding: 'utf8' })
        .trim()
        .split('\n')
        .map((name) => name.replace(/^\.\//, ''))
        .filter((name) => name !== '');
      expect(names.sort()).toEqual(['control', 'md5sums']);
    });

    (have('lintian', ['--version']) ? it : it.skip)(
      'passes lintian with no error',
      async () => {
        const result = await run('lintian', ['--tag-display-limit', '0', deb]).catch(
          (error: { stdout?: string; stderr?: string }) => error,
        );
        const lines = `${result.stdout ?? ''}`.split('\n');
        expect(lines.filter((line) => line.startsWith('E:'))).toEqual([]);
      },
      120_000,
    );
  });

  describe('the amd64 .deb, installed with dpkg into a throwaway root', () => {
    const native = process.platform === 'linux' && process.arch === 'x64';
    (native && have('dpkg', ['--version']) ? it : it.skip)(
      'installs /usr/bin/docker-credential-ecr-ts there, which answers version and a cache-hit get, and removes cleanly',
      async () => {
        const root = tempDir('ecr-ts-dpkg-');
        const admin = join(root, 'var', 'lib', 'dpkg');
        for (const dir of ['info', 'updates', 'triggers']) {
          mkdirSync(join(admin, dir), { recursive: true });
        }
        // The one dependency, as this machine has it: dpkg checks it against the root's status.
        const libc = execFileSync('dpkg-query', ['-s', 'libc6'], { encoding: 'utf8' });
        writeFileSync(join(admin, 'status'), `${libc.trim()}\n\n`);
        const dpkg = (args: string[]) =>
          run('dpkg', [`--root=${root}`, `--log=${join(root, 'dpkg.log')}`, ...args], {
            env: cleanEnv(root, { PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` }),
          });
        await dpkg(['--install', join(RELEASE, DEBS.amd64)]);
        const installed = join(root, 'usr', 'bin', NAME);
        expect(existsSync(installed)).toBe(true);
        expect(existsSync(join(root, 'usr', 'share', 'man', 'man1', `${NAME}.1.gz`))).toBe(true);

        const home = tempDir('ecr-ts-dpkg-home-');
        const version = await runHelper({ bin: installed, args: ['version'], env: cleanEnv(home) });
        expect([version.code, version.stderr]).toEqual([0, '']);
        expect(version.stdout).toBe(`${NAME} (npm:${NAME}) ${VERSION}\n`);

        const keys = new KeyStore();
        const ecr = await startFakeEcr({ keys });
        try {
          const env = cleanEnv(home, { ...keyEnv(keys.issue()), AWS_ENDPOINT_URL_ECR: ecr.url });
          const cold = await runHelper({ bin: installed, args: ['get'], env, input: PRIVATE });
          const hit = await runHelper({ bin: installed, args: ['get'], env, input: PRIVATE });
          for (const result of [cold, hit]) {
            expect([result.code, result.stderr]).toEqual([0, '']);
            expect(JSON.parse(result.stdout)).toEqual({
              ServerURL: PRIVATE,
              Username: 'AWS',
              Secret: ecr.passwords[0],
            });
          }
          expect(ecr.tokenCalls()).toBe(1); // the second answer came from the cache
        } finally {
          await ecr.close();
        }

        await dpkg(['--purge', NAME]);
        expect(existsSync(installed)).toBe(false);
        expect(existsSync(join(root, 'usr', 'share', 'doc', NAME))).toBe(false);
      },
      120_000,
    );
  });

  describe.each(Object.entries(RPMS))('the %s .rpm', (arch, file) => {
    const rpm = join(RELEASE, file);
    // rpm keeps a database under HOME (~/.rpmdb): a temp one.
    const query = (args: string[]) =>
      execFileSync('rpm', ['-qp', ...args, rpm], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: cleanEnv(tempDir('ecr-ts-rpm-')),
      });
    const haveRpm = have('rpm', ['--version']);

    (haveRpm ? it : it.skip)(
      'has the right name, version, architecture and license (rpm -qip)',
      () => {
        const info = query(['-i']);
        const value = (name: string) => new RegExp(`^${name}\\s*: (.*)$`, 'm').exec(info)?.[1];
        expect([value('Name'), value('Version'), value('Release'), value('Architecture')]).toEqual([
          NAME,
          VERSION,
          '1',
          arch,
        ]);
        expect(value('License')).toBe('Apache-2.0');
      },
    );

    (haveRpm ? it : it.skip)('requires the C library only, and has no scriptlet', () => {
      const requires = query(['--requires'])
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('rpmlib('));
      expect(requires).toEqual(['glibc >= 2.17']);
      expect(query(['--scripts']).trim()).toBe('');
    });

    (haveRpm ? it : it.skip)('holds the executable, the man page and the docs (rpm -qlp)', () => {
      expect(query(['-l']).trim().split('\n').sort()).toEqual(
        [
          `/usr/bin/${NAME}`,
          `/usr/share/man/man1/${NAME}.1.gz`,
          DOC,
          `${DOC}/CHANGELOG.md.gz`,
          `${DOC}/LICENSE`,
          `${DOC}/README.md.gz`,
        ].sort(),
      );
      const modes = query([
        '--queryformat',
        '[%{FILEMODES:perms} %{FILEUSERNAME} %{FILENAMES}\\n]',
      ]);
      expect(modes).toContain(`-rwxr-xr-x root /usr/bin/${NAME}`);
    });
  });

  it('the Homebrew formula names both macOS files with their digests (brew cannot run here)', () => {
    const formula = readFileSync(join(RELEASE, `${NAME}.rb`), 'utf8');
    const listed = sums();
    for (const arch of ['arm64', 'x64']) {
      const file = `${NAME}-darwin-${arch}`;
      expect(formula).toMatch(new RegExp(`url "[^"]+/${file}"\\n\\s+sha256 "${listed.get(file)}"`));
    }
    expect(formula).toContain(`version "${VERSION}"`);
    expect(formula).toContain('on_arm do');
    expect(formula).toContain('on_intel do');
  });
});
