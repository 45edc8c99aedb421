/**
 * Testcontainers for Node, the real library from the npm registry, looking up the registry auth
 * for an ECR image with `credsStore: "ecr-ts"` and a cold token cache: 12.2 runs `get` directly,
 * 11.5 runs `list` first and `get` only for a registry `list` named (docs/clients.md#clients).
 * No engine runs here, so the test calls the library's own lookup (`getAuthConfig`, what its
 * image pull calls with the image's registry) in a child process with the client's environment:
 * the library reads DOCKER_CONFIG when it loads and finds the helper on PATH.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { startEcrFixture } from '../support/ecr-fixture';
import { ECR_HOST } from '../support/registry-host';
import { installRecordingHelper, readHelperCalls } from './recording-helper';

scrubProcessEnv();

const PASSWORD = 'testcontainers-ecr-password';
const ROOT = join(__dirname, '..', '..');
/** The two versions, installed as devDependencies (the older one under an npm alias). */
const VERSIONS = {
  '12.2': join(ROOT, 'node_modules', 'testcontainers'),
  '11.5': join(ROOT, 'node_modules', 'testcontainers-11-5'),
} as const;
type Version = keyof typeof VERSIONS;

/** One client machine: a docker config, the helper's own config file, the helper on PATH. */
async function clientWorld(options: { dockerConfig: object; helperConfig?: object }) {
  const fx = await startEcrFixture({ password: PASSWORD, homePrefix: 'ecr-ts-testcontainers-' });
  const bin = join(fx.home, 'bin');
  const calls = join(fx.home, 'helper-calls');
  installRecordingHelper(bin, calls);
  const dockerConfig = join(fx.home, 'docker-config');
  mkdirSync(dockerConfig);
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify(options.dockerConfig));
  if (options.helperConfig) {
    const dir = join(fx.home, '.config', 'docker-credential-ecr-ts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(options.helperConfig));
  }
  const env = fx.env({
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    DOCKER_CONFIG: dockerConfig,
  });
  return { fx, env, calls: () => readHelperCalls(calls) };
}

/** Runs the library's registry-auth lookup for `registry`; its answer, as JSON. */
function lookUp(version: Version, registry: string, env: Record<string, string>) {
  const script = [
    `const { getAuthConfig } = require(${JSON.stringify(join(VERSIONS[version], 'build/container-runtime/auth/get-auth-config'))});`,
    `getAuthConfig(${JSON.stringify(registry)}).then(`,
    '  (auth) => process.stdout.write(JSON.stringify({ auth: auth ?? null })),',
    '  (error) => process.stdout.write(JSON.stringify({ error: String(error) })),',
    ');',
  ].join('\n');
  return new Promise<{ auth?: object | null; error?: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(stdout) as { auth?: object | null; error?: string });
      } catch {
        reject(new Error(`testcontainers ${version} printed ${stdout}${stderr}`));
      }
    });
  });
}

const ECR_LOGIN = { username: 'AWS', password: PASSWORD, registryAddress: ECR_HOST };

describe('Testcontainers for Node finds ECR credentials through credsStore, on a cold cache', () => {
  it('12.2 runs get for the registry and gets the token', async () => {
    const world = await clientWorld({ dockerConfig: { credsStore: 'ecr-ts' } });
    const result = await lookUp('12.2', ECR_HOST, world.env);
    expect(result).toEqual({ auth: ECR_LOGIN });
    expect(world.calls().map((call) => [call.args, call.code, call.stderr])).toEqual([
      ['get', 0, ''],
    ]);
    expect(world.fx.ecr.tokenCalls()).toBe(1);
  });

  it('11.5 lists first: with nothing naming the registry it gets no credentials', async () => {
    // What every list-first client met before list named configured registries.
    const world = await clientWorld({ dockerConfig: { credsStore: 'ecr-ts' } });
    const result = await lookUp('11.5', ECR_HOST, world.env);
    expect(result).toEqual({ auth: null });
    expect(world.calls().map((call) => call.args)).toEqual(['list']);
    expect(world.fx.ecr.tokenCalls()).toBe(0);
  });

  it.each([
    ['an empty registries key in the helper config (configure --store REGISTRY)', {}, true],
    ['the auths marker docker login leaves', { auths: { [ECR_HOST]: {} } }, false],
  ])('11.5 lists first: %s names it, and get answers the token', async (_, extra, key) => {
    const world = await clientWorld({
      dockerConfig: { credsStore: 'ecr-ts', ...extra },
      ...(key ? { helperConfig: { registries: { [ECR_HOST]: {} } } } : {}),
    });
    const result = await lookUp('11.5', ECR_HOST, world.env);
    expect(result).toEqual({ auth: ECR_LOGIN });
    const calls = world.calls();
    expect(calls.map((call) => [call.args, call.code, call.stderr])).toEqual([
      ['list', 0, ''],
      ['get', 0, ''],
    ]);
    expect(JSON.parse(calls[0]?.stdout ?? '')).toEqual({ [ECR_HOST]: 'AWS' });
    expect(world.fx.ecr.tokenCalls()).toBe(1);
  });

  it('a registry that is not ECR: 12.2 gets no credentials, quietly, and no AWS call', async () => {
    const world = await clientWorld({ dockerConfig: { credsStore: 'ecr-ts' } });
    const result = await lookUp('12.2', 'registry.example.com', world.env);
    expect(result).toEqual({ auth: null });
    expect(world.calls().map((call) => [call.args, call.code, call.stderr, call.stdout])).toEqual([
      ['get', 1, '', 'credentials not found in native keychain\n'],
    ]);
    expect(world.fx.ecr.tokenCalls()).toBe(0);
  });
});
