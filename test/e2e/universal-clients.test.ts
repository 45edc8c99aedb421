/**
 * Universal mode end to end with real clients (docs/universal-mode.md): the helper as docker's only `credsStore`,
 * answering for ECR and for a registry that is not ECR. `docker login` to that registry goes to
 * the fallback store (the built-in file store, or the real docker-credential-pass); pulls then
 * carry the right X-Registry-Auth for each registry; `docker logout` erases. docker-py pulls both
 * with one credsStore and no auth_config anywhere: the seed's registry-agnostic application.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { createPassStore, type PassStore } from '../support/pass-store';
import { runHelper, type RunResult } from '../support/run-helper';
import { startClientWorld, type ClientWorld } from './client-world';
import { haveTool } from './find-tool';
import { ECR_HOST } from '../support/registry-host';

scrubProcessEnv();

const ECR_PASSWORD = 'ecr-password-for-the-universal-test';
const OTHER_HOST = 'registry.corp.example';
const OTHER_USER = 'octocat';
const OTHER_PASSWORD = 'corp-password-SENTINEL-universal';

const hasDocker = haveTool('the docker CLI', ['docker', '--version']);
const hasPass = haveTool('docker-credential-pass', [
  'sh',
  '-c',
  'command -v docker-credential-pass',
]);
const PYTHON = '/usr/bin/python3';
const hasDockerPy = haveTool('docker-py (python3-docker)', [PYTHON, '-c', 'import docker']);

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    });
}

const worlds: ClientWorld[] = [];
const passStores: PassStore[] = [];
afterEach(async () => {
  for (const pass of passStores.splice(0)) pass.close();
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

async function start(fallback?: 'pass'): Promise<ClientWorld> {
  const world = await startClientWorld({
    dockerConfig: { credsStore: 'ecr-ts' },
    password: ECR_PASSWORD,
    engine: {
      privateRegistries: {
        [ECR_HOST]: { username: 'AWS', password: ECR_PASSWORD },
        [OTHER_HOST]: { username: OTHER_USER, password: OTHER_PASSWORD },
      },
    },
  });
  worlds.push(world);
  if (fallback === 'pass') {
    const pass = createPassStore(world.home);
    passStores.push(pass);
    const config = join(world.home, 'ecr-ts-config.json');
    writeFileSync(config, JSON.stringify({ fallback: 'pass' }));
    Object.assign(world.env, pass.env, { ECR_TS_CONFIG: config, ECR_TS_TIMEOUT: '30' });
  }
  return world;
}

const docker = (world: ClientWorld, args: string[], input = ''): Promise<RunResult> =>
  runHelper({ bin: 'docker', args, env: world.env, input, killAfterMs: 60_000 });

(hasDocker ? describe.each([['file'], ...(hasPass ? [['pass']] : [])]) : describe.skip)(
  'the docker CLI with credsStore ecr-ts, fallback %s',
  (fallback) => {
    it('login to a non-ECR registry, pulls of it and of ECR with the right auth each, logout erases', async () => {
      const world = await start(fallback === 'pass' ? 'pass' : undefined);
      const login = await docker(
        world,
        ['login', '--username', OTHER_USER, '--password-stdin', OTHER_HOST],
        `${OTHER_PASSWORD}\n`,
      );
      expect(login.stdout).toContain('Login Succeeded');
      expect(login.code).toBe(0);
      // docker handed the login to the helper: config.json holds no password and no auths entry.
      const dockerConfig = readFileSync(join(world.dockerConfigDir, 'config.json'), 'utf8');
      expect(dockerConfig).not.toContain(OTHER_PASSWORD);

      const other = await docker(world, ['pull', `${OTHER_HOST}/team/app:1`]);
      expect([other.code, other.stderr]).toEqual([0, '']);
      const ecr = await docker(world, ['pull', `${ECR_HOST}/app:1`]);
      expect([ecr.code, ecr.stderr]).toEqual([0, '']);
      const [otherPull, ecrPull] = world.engine.pulls();
      expect(otherPull?.registryAuth).toMatchObject({
        username: OTHER_USER,
        password: OTHER_PASSWORD,
      });
      expect(ecrPull?.registryAuth).toMatchObject({ username: 'AWS', password: ECR_PASSWORD });
      // The non-ECR host cost no AWS call; the ECR pull one.
      expect(world.ecr.tokenCalls()).toBe(1);

      // On disk the password exists only inside the fallback store: the 0600 file store, or
      // encrypted by pass (in no file at all in the clear).
      const holders = filesUnder(world.home).filter((path) =>
        readFileSync(path).includes(OTHER_PASSWORD),
      );
      const calls = world.calls();
      const recorded = join(world.home, 'helper-calls');
      const outside = holders.filter((path) => !path.startsWith(recorded));
      if (fallback === 'file') {
        const store = join(
          world.home,
          '.local',
          'share',
          'docker-credential-ecr-ts',
          'credentials.json',
        );
        expect(outside).toEqual([store]);
        expect(statSync(store).mode & 0o777).toBe(0o600);
      } else {
        expect(outside).toEqual([]);
      }
      expect(calls.map((call) => call.args)).toEqual(expect.arrayContaining(['store', 'get']));

      const logout = await docker(world, ['logout', OTHER_HOST]);
      expect(logout.code).toBe(0);
      expect((await docker(world, ['pull', `${OTHER_HOST}/team/app:1`])).stderr).toContain(
        'no basic auth credentials',
      );
      if (fallback === 'file') {
        const store = join(
          world.home,
          '.local',
          'share',
          'docker-credential-ecr-ts',
          'credentials.json',
        );
        expect(readFileSync(store, 'utf8')).not.toContain(OTHER_PASSWORD);
      }
    });
  },
);

(hasDockerPy ? describe : describe.skip)('docker-py with one credsStore and no auth_config', () => {
  it('pulls an ECR image and a non-ECR image, each with its own credentials', async () => {
    const world = await start();
    // A login made earlier (any client): the helper keeps it in the fallback store.
    const stored = await runHelper({
      args: ['store'],
      env: world.env,
      input: JSON.stringify({
        ServerURL: OTHER_HOST,
        Username: OTHER_USER,
        Secret: OTHER_PASSWORD,
      }),
    });
    expect(stored.code).toBe(0);
    const client = join(__dirname, 'docker-py-client.py');
    for (const image of [`${ECR_HOST}/app`, `${OTHER_HOST}/team/app`]) {
      const result = await runHelper({
        bin: PYTHON,
        args: [client, 'pull', image, '1'],
        env: world.env,
      });
      expect([
        result.stderr,
        JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null')?.ok,
      ]).toEqual(['', true]);
    }
    const [ecrPull, otherPull] = world.engine.pulls();
    expect(ecrPull?.registryAuth).toMatchObject({ username: 'AWS', password: ECR_PASSWORD });
    expect(otherPull?.registryAuth).toMatchObject({
      username: OTHER_USER,
      password: OTHER_PASSWORD,
    });
  });
});
