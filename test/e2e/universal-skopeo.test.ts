/**
 * skopeo with a real `docker-registry` that is not ECR (TLS from a test CA, htpasswd), the helper
 * named for it in `credHelpers`: `skopeo login` lands in the fallback (the built-in file store), and
 * push, inspect and pull then authenticate with what the helper answers. All inside a network
 * namespace where the registry's name resolves to loopback and no other network exists.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { haveTool } from './find-tool';
import { writeOciImage, type OciImage } from './oci-image';
import { readHelperCalls } from './recording-helper';
import { canStartRegistryWorld, startRegistryWorld, type RegistryWorld } from './registry-world';
import { runInNetns } from './run-in-netns';

scrubProcessEnv();

const HOST = 'registry.corp.example';
const IMAGE = `${HOST}/team/app`;
const USER = 'deployer';
const PASSWORD = 'corp-registry-SENTINEL-pw-0123456789';

function canRun(): boolean {
  return (
    canStartRegistryWorld('the skopeo universal test') &&
    haveTool('skopeo', ['skopeo', '--version'])
  );
}

(canRun() ? describe : describe.skip)(
  'skopeo and a non-ECR registry through the fallback store',
  () => {
    let world: RegistryWorld;
    let dir: string;
    let home: string;
    let image: OciImage;
    let env: Record<string, string>;
    const certDir = () => world.certDir;
    const policy = () => world.policy;
    const recordDir = () => world.recordDir;
    const skopeo = (args: readonly string[]) => runInNetns(world.netns, env, 'skopeo', args);

    beforeAll(async () => {
      world = await startRegistryWorld({
        prefix: 'ecr-ts-universal-skopeo-',
        host: HOST,
        username: USER,
        password: PASSWORD,
      });
      ({ dir, home } = world);
      const authFile = join(home, 'auth.json');
      // skopeo 1.9 (containers/image 5.23) reads credHelpers only, not credsStore: the host names
      // the helper, which keeps the login in its fallback.
      writeFileSync(authFile, JSON.stringify({ credHelpers: { [HOST]: 'ecr-ts' } }));
      env = { ...world.env, REGISTRY_AUTH_FILE: authFile };
      image = writeOciImage(join(dir, 'source'), '1', 'hello from a registry that is not ECR\n');
    });

    it('without a login, a push is refused (the registry check is real)', async () => {
      const result = await skopeo([
        '--policy',
        policy(),
        'copy',
        '--dest-cert-dir',
        certDir(),
        `oci:${join(dir, 'source')}:1`,
        `docker://${IMAGE}:1`,
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/unauthorized|authentication required/i);
    });

    it('skopeo login stores into the file store through the helper; auth.json keeps no password', async () => {
      // The password on stdin, as a person would type it (the namespace runner has no stdin).
      const result = await runInNetns(world.netns, { ...env, LOGIN_PASSWORD: PASSWORD }, 'sh', [
        '-c',
        `printf '%s\\n' "$LOGIN_PASSWORD" | skopeo login --cert-dir '${certDir()}' --username ${USER} --password-stdin ${HOST}`,
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(readHelperCalls(recordDir()).map((call) => [call.args, call.code])).toContainEqual([
        'store',
        0,
      ]);
      expect(readFileSync(env['REGISTRY_AUTH_FILE'] ?? '', 'utf8')).not.toContain(PASSWORD);
      const store = join(home, '.local', 'share', 'docker-credential-ecr-ts', 'credentials.json');
      expect(readFileSync(store, 'utf8')).toContain(PASSWORD);
    });

    it('push and inspect authenticate with the login the helper answers', async () => {
      const before = readHelperCalls(recordDir()).length;
      const push = await skopeo([
        '--policy',
        policy(),
        'copy',
        '--dest-cert-dir',
        certDir(),
        `oci:${join(dir, 'source')}:1`,
        `docker://${IMAGE}:1`,
      ]);
      expect(push.code).toBe(0);
      const inspect = await skopeo(['inspect', '--cert-dir', certDir(), `docker://${IMAGE}:1`]);
      expect([inspect.code, inspect.stderr]).toEqual([0, '']);
      expect((JSON.parse(inspect.stdout) as { Digest: string }).Digest).toBe(image.manifestDigest);
      const gets = readHelperCalls(recordDir())
        .slice(before)
        .filter((call) => call.args === 'get');
      expect(gets.length).toBeGreaterThan(0);
      for (const call of gets) {
        expect(JSON.parse(call.stdout)).toEqual({
          ServerURL: HOST,
          Username: USER,
          Secret: PASSWORD,
        });
      }
      expect(push.stdout + push.stderr + inspect.stdout).not.toContain(PASSWORD);
    });

    it('skopeo logout erases the login: the registry refuses again', async () => {
      const logout = await skopeo(['logout', HOST]);
      expect(logout.code).toBe(0);
      const inspect = await skopeo(['inspect', '--cert-dir', certDir(), `docker://${IMAGE}:1`]);
      expect(inspect.code).not.toBe(0);
      expect(inspect.stderr).toMatch(/unauthorized|authentication required/i);
    });
  },
);
