import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { scrubProcessEnv, tempDir } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { runHelper } from '../support/run-helper';
import { ECR_HOST as PRIVATE } from '../support/registry-host';

scrubProcessEnv();

const EXECUTABLE = join(__dirname, '..', '..', 'dist', 'docker-credential-ecr-ts');
const isRoot = process.getuid?.() === 0;
// chroot(8) lives in sbin, which a non-login PATH often lacks.
const CHROOT = ['/usr/sbin/chroot', '/sbin/chroot'].find((path) => existsSync(path)) ?? 'chroot';
const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((path) => existsSync(path)) ?? 'unshare';

/**
 * Runs a command inside `root` with chroot(8): only the files copied there exist, and /proc, which
 * every Linux system and container has (Bun's runtime aborts at start without it; Node's did not).
 * unshare(1) mounts it in a mount and PID namespace of the command's own, so nothing leaks out.
 */
function inChroot(root: string, args: string[], env: Record<string, string>, input: string) {
  return runHelper({
    bin: UNSHARE,
    args: [
      '--mount',
      '--pid',
      '--fork',
      `--mount-proc=${join(root, 'proc')}`,
      CHROOT,
      root,
      ...args,
    ],
    env,
    input,
  });
}

// chroot needs root; CI runs as root. Elsewhere this says so instead of passing silently.
(isRoot ? describe : describe.skip)('the executable on a machine with no Node', () => {
  let root: string;
  beforeAll(() => {
    if (!existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} is missing: run npm run build`);
    root = tempDir('ecr-ts-no-node-');
    chmodSync(root, 0o755);
    // Only the executable and the shared libraries the dynamic linker says it needs.
    const libraries = execFileSync('ldd', [EXECUTABLE], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /(\/\S+) \(0x/.exec(line)?.[1])
      .filter((path): path is string => path !== undefined);
    for (const library of libraries) {
      mkdirSync(join(root, dirname(library)), { recursive: true });
      copyFileSync(library, join(root, library));
    }
    mkdirSync(join(root, 'bin'));
    copyFileSync(EXECUTABLE, join(root, 'bin', 'docker-credential-ecr-ts'));
    chmodSync(join(root, 'bin', 'docker-credential-ecr-ts'), 0o755);
    mkdirSync(join(root, 'home'), { mode: 0o700 });
    mkdirSync(join(root, 'proc'));
  });

  const env = (extra: Record<string, string> = {}) => ({
    PATH: '/bin',
    HOME: '/home',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    ...extra,
  });

  it('has no node to fall back on, and still answers version and a non-ECR get', async () => {
    expect(existsSync(join(root, 'usr', 'bin', 'node'))).toBe(false);
    const version = await inChroot(root, ['/bin/docker-credential-ecr-ts', 'version'], env(), '');
    expect([version.code, version.stderr]).toEqual([0, '']);
    expect(version.stdout).toMatch(/^docker-credential-ecr-ts \(npm:docker-credential-ecr-ts\) /);
    const get = await inChroot(root, ['/bin/docker-credential-ecr-ts', 'get'], env(), 'ghcr.io');
    expect(get.code).toBe(1);
    expect(get.stdout.trim()).toBe('credentials not found in native keychain');
  });

  it('fetches a token with the AWS SDK embedded in it (no dist/aws-sdk.cjs on disk)', async () => {
    const keys = new KeyStore();
    const key = keys.issue();
    const ecr = await startFakeEcr({ keys });
    try {
      const result = await inChroot(
        root,
        ['/bin/docker-credential-ecr-ts', 'get'],
        env({
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_SESSION_TOKEN: key.sessionToken ?? '',
          AWS_ENDPOINT_URL_ECR: ecr.url,
        }),
        PRIVATE,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        ServerURL: PRIVATE,
        Username: 'AWS',
        Secret: ecr.passwords[0],
      });
      expect(ecr.requests[0]?.verification).toMatchObject({ ok: true, region: 'eu-west-1' });
    } finally {
      await ecr.close();
    }
  });
});
