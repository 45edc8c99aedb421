/**
 * podman and buildah (Debian's) pull from a real `docker-registry` under an ECR host name with
 * only what the helper answers, inside a network namespace the test creates. They find helpers
 * with the same containers/image code as skopeo (registry-round-trip.test.ts); what they add is
 * their own pull into containers/storage, and `podman login` / `podman logout` running `store` and
 * `erase` (docs/clients.md#clients).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { ECR_HOST } from '../support/registry-host';
import { haveTool } from './find-tool';
import { writeOciImage } from './oci-image';
import { readHelperCalls, type HelperCall } from './recording-helper';
import { canStartRegistryWorld, startRegistryWorld, type RegistryWorld } from './registry-world';
import { runInNetns } from './run-in-netns';

scrubProcessEnv();

const IMAGE = `${ECR_HOST}/clients/app`;
// bcrypt (htpasswd) compares only the first 72 bytes: a short password keeps the check real.
const PASSWORD = `ecr-${randomBytes(30).toString('base64url')}`;

function canRun(): boolean {
  return (
    canStartRegistryWorld('the podman and buildah test') &&
    haveTool('podman', ['podman', '--version']) &&
    haveTool('buildah', ['buildah', '--version']) &&
    haveTool('skopeo', ['skopeo', '--version'])
  );
}

const describeClients = canRun() ? describe : describe.skip;

describeClients('podman and buildah pull through the helper', () => {
  let world: RegistryWorld;
  let dir: string;
  let fakes: FakesProcess;
  let env: Record<string, string>;
  const certDir = () => world.certDir;
  const policy = () => world.policy;
  const recordDir = () => world.recordDir;
  /** Each tool gets its own storage under the test folder (vfs: no overlay mount needed). */
  const storage = (tool: string) => [
    '--root',
    join(dir, tool, 'root'),
    '--runroot',
    join(dir, tool, 'run'),
    '--storage-driver',
    'vfs',
  ];
  const run = (command: string, args: readonly string[], extra: Record<string, string> = {}) =>
    runInNetns(world.netns, { ...env, ...extra }, command, args);
  /** `<tool> pull` of the test image into storage `name`, trusting the test CA. */
  const pull = (tool: string, name: string, extra: Record<string, string> = {}) =>
    run(
      tool,
      [
        ...storage(name),
        'pull',
        '--signature-policy',
        policy(),
        '--cert-dir',
        certDir(),
        `${IMAGE}:1`,
      ],
      extra,
    );
  const callsSince = (before: number): HelperCall[] => readHelperCalls(recordDir()).slice(before);
  const authFile = (name: string, config: object): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(config));
    return path;
  };

  beforeAll(async () => {
    world = await startRegistryWorld({
      prefix: 'ecr-ts-podman-',
      host: ECR_HOST,
      username: 'AWS',
      password: PASSWORD,
    });
    dir = world.dir;
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'ecr', name: 'ecr', password: PASSWORD },
          { kind: 'credentials', name: 'credentials' },
        ],
      },
      { netns: world.netns },
    );
    env = {
      ...world.env,
      REGISTRY_AUTH_FILE: authFile('auth.json', { credHelpers: { [ECR_HOST]: 'ecr-ts' } }),
      AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fakes.url('credentials')}/v1/credentials`,
    };
    // The image goes in with skopeo (covered on its own by registry-round-trip.test.ts).
    writeOciImage(join(dir, 'source'), '1', 'hello from podman and buildah\n');
    const push = await run('skopeo', [
      '--policy',
      policy(),
      'copy',
      '--dest-cert-dir',
      certDir(),
      `oci:${join(dir, 'source')}:1`,
      `docker://${IMAGE}:1`,
    ]);
    if (push.code !== 0) throw new Error(`skopeo could not push the test image: ${push.stderr}`);
  });

  afterAll(async () => {
    await fakes?.close();
  });

  /** Every call since `before` answered `get` for the bare host with the token, silently. */
  const expectTokenAnswers = (before: number): void => {
    const calls = callsSince(before);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call).toMatchObject({ args: 'get', code: 0, stderr: '' });
      expect(JSON.parse(call.stdout)).toEqual({
        ServerURL: ECR_HOST,
        Username: 'AWS',
        Secret: PASSWORD,
      });
    }
  };

  it('podman pull stores the image, authenticated by the helper', async () => {
    const before = readHelperCalls(recordDir()).length;
    const result = await pull('podman', 'podman');
    expect(result.stderr).not.toMatch(/unauthorized|authentication required/i);
    expect(result.code).toBe(0);
    expectTokenAnswers(before);
    const images = await run('podman', [
      ...storage('podman'),
      'images',
      '--format',
      '{{.Repository}}:{{.Tag}}',
    ]);
    expect(images.stdout.trim().split('\n')).toContain(`${IMAGE}:1`);
  });

  it('buildah pull does the same through its own storage', async () => {
    const before = readHelperCalls(recordDir()).length;
    const result = await pull('buildah', 'buildah');
    expect(result.stderr).not.toMatch(/unauthorized|authentication required/i);
    expect(result.code).toBe(0);
    expectTokenAnswers(before);
  });

  it('podman login and logout run store and erase, which succeed and keep nothing for ECR', async () => {
    const before = readHelperCalls(recordDir()).length;
    // podman checks the login against the registry, then hands it to the helper (`store`).
    const login = await run('podman', [
      ...storage('podman'),
      'login',
      '--cert-dir',
      certDir(),
      '-u',
      'AWS',
      '-p',
      PASSWORD,
      ECR_HOST,
    ]);
    expect(login.code).toBe(0);
    const logout = await run('podman', [...storage('podman'), 'logout', ECR_HOST]);
    expect(logout.code).toBe(0);
    const actions = callsSince(before).map((call) => [call.args, call.code, call.stderr]);
    expect(actions).toContainEqual(['store', 0, '']);
    expect(actions).toContainEqual(['erase', 0, '']);
    // Nothing was kept: the next pull still asks the helper, which mints the token.
    const pullBefore = readHelperCalls(recordDir()).length;
    const again = await pull('podman', 'podman-after-logout');
    expect(again.code).toBe(0);
    expectTokenAnswers(pullBefore);
  });

  it('without the helper the registry refuses the pull (the check is real)', async () => {
    const result = await pull('podman', 'podman-anonymous', {
      REGISTRY_AUTH_FILE: authFile('empty-auth.json', {}),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unauthorized|authentication required/i);
  });

  it('these versions run no helper for a credsStore: credHelpers is what to configure', async () => {
    const before = readHelperCalls(recordDir()).length;
    const storeOnly = { REGISTRY_AUTH_FILE: authFile('store-auth.json', { credsStore: 'ecr-ts' }) };
    for (const tool of ['podman', 'buildah']) {
      const result = await pull(tool, `${tool}-store`, storeOnly);
      expect(result.stderr).toMatch(/unauthorized|authentication required/i);
    }
    expect(callsSince(before)).toEqual([]);
  });
});
