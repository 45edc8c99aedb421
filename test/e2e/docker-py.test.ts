/**
 * docker-py (Debian python3-docker) as the seed's application uses it: `images.pull()` with no
 * auth_config and no ECR code; the docker config names the helper and the infrastructure (a
 * container credential endpoint) supplies AWS credentials.
 */
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { runHelper } from '../support/run-helper';
import { startClientWorld, type ClientWorld } from './client-world';
import { haveTool } from './find-tool';
import { ECR_HOST } from '../support/registry-host';

scrubProcessEnv();

// The system interpreter, not a pyenv shim: python3-docker is a Debian package.
const PYTHON = '/usr/bin/python3';
const CLIENT = join(__dirname, 'docker-py-client.py');
const PASSWORD = 'ecr-password-for-the-docker-py-test';
const hasDockerPy = haveTool('docker-py (python3-docker)', [PYTHON, '-c', 'import docker']);
const describeDockerPy = hasDockerPy ? describe : describe.skip;

interface ClientOutcome {
  readonly ok: boolean;
  readonly error?: string;
  readonly id?: string;
}

/** Runs the client with stdin left open, as an app's own stdin would be: `list` must not read it. */
async function app(world: ClientWorld, ...args: string[]) {
  const result = await runHelper({ bin: PYTHON, args: [CLIENT, ...args], env: world.env });
  const outcome = JSON.parse(result.stdout.trim().split('\n').pop() ?? 'null') as ClientOutcome;
  return { ...result, outcome };
}

describeDockerPy('docker-py with the helper', () => {
  const start = (dockerConfig: object): Promise<ClientWorld> =>
    startClientWorld({
      dockerConfig,
      password: PASSWORD,
      engine: { privateRegistries: { [ECR_HOST]: { username: 'AWS', password: PASSWORD } } },
    });

  it.each([
    ['credHelpers', { credHelpers: { [ECR_HOST]: 'ecr-ts' } }],
    ['credsStore', { credsStore: 'ecr-ts' }],
  ])(
    'images.pull() with no auth_config gets the ECR token from the helper (%s)',
    async (_mode, config) => {
      const world = await start(config);
      const result = await app(world, 'pull', `${ECR_HOST}/app`, '1');
      expect(result.stderr).toBe('');
      expect(result.outcome).toMatchObject({ ok: true });
      const [pull, ...others] = world.engine.pulls();
      expect(others).toEqual([]);
      expect(pull?.registryAuth).toMatchObject({
        username: 'AWS',
        password: PASSWORD,
        serveraddress: ECR_HOST,
      });
      const calls = world.calls();
      expect(calls).toEqual([
        {
          args: 'get',
          code: 0,
          stdout: `${JSON.stringify({ ServerURL: ECR_HOST, Username: 'AWS', Secret: PASSWORD })}\n`,
          stderr: '',
        },
      ]);
      expect(world.ecr.requests[0]?.verification?.ok).toBe(true);
    },
  );

  it('as credsStore, a Docker Hub pull falls back to anonymous with no AWS call', async () => {
    const world = await start({ credsStore: 'ecr-ts' });
    const result = await app(world, 'pull', 'alpine', 'latest');
    expect(result.outcome).toMatchObject({ ok: true });
    expect(result.stderr).toBe('');
    const [pull] = world.engine.pulls();
    expect(pull?.registryAuth?.password ?? '').toBe('');
    expect(world.calls().map((call) => [call.args, call.code, call.stdout])).toEqual([
      ['get', 1, 'credentials not found in native keychain\n'],
    ]);
    expect(world.ecr.requests).toEqual([]);
  });

  it('a private-ECR failure raises in the app with the helper reason', async () => {
    const world = await start({ credHelpers: { [ECR_HOST]: 'ecr-ts' } });
    world.ecr.defaultFault = 'access-denied';
    const result = await app(world, 'pull', `${ECR_HOST}/app`, '1');
    expect(result.outcome.ok).toBe(false);
    expect(result.outcome.error).toContain('ecr:GetAuthorizationToken');
    expect(result.outcome.error).toContain('assumed-role/test-role/session');
    expect(world.engine.pulls()).toEqual([]);
    for (const key of world.creds.issued) {
      expect(result.stdout + result.stderr).not.toContain(key.secretAccessKey);
    }
  });

  it('build() with credsStore runs `list` without reading the stdin docker-py leaves attached', async () => {
    const world = await start({ credsStore: 'ecr-ts' });
    expect((await app(world, 'pull', `${ECR_HOST}/base`, '1')).outcome.ok).toBe(true);
    const result = await app(world, 'build', `FROM ${ECR_HOST}/base:1\n`);
    expect(result.outcome).toMatchObject({ ok: true });
    const list = world.calls().find((call) => call.args === 'list');
    // A helper that read stdin here would wait for the app's stdin (never closed) until its
    // deadline and then fail; this run must instead answer at once with a JSON object.
    expect(list).toMatchObject({ code: 0, stderr: '' });
    const listed = JSON.parse(list?.stdout ?? 'null') as Record<string, string>;
    const build = world.engine.requests.find((seen) => seen.path === '/build');
    // The pull before cached the token: `list` reports that registry (and only it), and the
    // client then fetched its password through `get` for the build's X-Registry-Config.
    expect(listed).toEqual({ [ECR_HOST]: 'AWS' });
    expect(build?.registryConfig?.[ECR_HOST]).toMatchObject({
      username: 'AWS',
      password: PASSWORD,
    });
  });
});
