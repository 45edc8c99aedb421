/**
 * The real docker CLI drives the built helper: `docker pull` through a fake engine, with the helper
 * named in `credHelpers` and as `credsStore`. The engine checks the X-Registry-Auth header the way a
 * registry would, so a pull only succeeds with the password the fake ECR API issued.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { runHelper, type RunResult } from '../support/run-helper';
import { startClientWorld, type ClientWorld } from './client-world';
import { haveTool } from './find-tool';
import { ECR_HOST } from '../support/registry-host';

scrubProcessEnv();

const PASSWORD = 'ecr-password-for-the-docker-cli-test';

/** A docker CLI on this machine: its path and major version. */
interface DockerCli {
  readonly path: string;
  readonly version: string;
  readonly major: number;
}

/**
 * Every distinct docker CLI here: the one on PATH (28.x on these machines) and Debian's docker.io
 * (20.10) when installed. They differ in how they treat a failing helper, so each is tested.
 */
function findDockerClis(): DockerCli[] {
  const candidates = ['/usr/local/bin/docker', '/usr/bin/docker'];
  const onPath = haveTool('the docker CLI', ['docker', '--version'])
    ? execFileSync('sh', ['-c', 'command -v docker']).toString().trim()
    : undefined;
  if (onPath) candidates.unshift(onPath);
  const seen = new Set<string>();
  const clis: DockerCli[] = [];
  for (const path of candidates) {
    if (!existsSync(path) || seen.has(realpathSync(path))) continue;
    seen.add(realpathSync(path));
    const version = /Docker version ([^\s,]+)/.exec(
      execFileSync(path, ['--version']).toString(),
    )?.[1];
    if (version) clis.push({ path, version, major: Number(version.split('.')[0]) });
  }
  return clis;
}

const clis = findDockerClis();
if (clis.length === 1) {
  console.warn(
    `NOTE: only one docker CLI (${clis[0]?.version}) here; install docker.io to also test the 20.10 CLI`,
  );
}

/** Asserts that no AWS secret the fakes handed out shows up in `text`. */
function expectNoAwsSecret(world: ClientWorld, text: string): void {
  for (const key of world.creds.issued) {
    expect(text).not.toContain(key.secretAccessKey);
    if (key.sessionToken) expect(text).not.toContain(key.sessionToken);
  }
}

describe.each(clis.map((cli) => [`${cli.version} at ${cli.path}`, cli] as const))(
  'docker CLI %s with the helper',
  (_label, cli) => {
    const docker = (world: ClientWorld, ...args: string[]): Promise<RunResult> =>
      runHelper({ bin: cli.path, args, env: world.env, input: '' });

    const start = (dockerConfig: object, awsCredentials = true): Promise<ClientWorld> =>
      startClientWorld({
        dockerConfig,
        awsCredentials,
        password: PASSWORD,
        engine: { privateRegistries: { [ECR_HOST]: { username: 'AWS', password: PASSWORD } } },
      });

    it('docker pull from private ECR sends the token the helper got, via credHelpers', async () => {
      const world = await start({ credHelpers: { [ECR_HOST]: 'ecr-ts' } });
      const result = await docker(world, 'pull', `${ECR_HOST}/app:1`);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Status: Downloaded newer image for ${ECR_HOST}/app:1`);
      const [pull, ...others] = world.engine.pulls();
      expect(others).toEqual([]);
      expect(pull?.query.get('fromImage')).toBe(`${ECR_HOST}/app`);
      expect(pull?.registryAuth).toMatchObject({ username: 'AWS', password: PASSWORD });
      // 28 names the registry in the header; 20.10 leaves serveraddress out.
      if (cli.major >= 28) expect(pull?.registryAuth?.serveraddress).toBe(ECR_HOST);
      expect(world.ecr.passwords).toEqual([PASSWORD]);
      const calls = world.calls();
      expect(calls.map((call) => call.args)).toEqual(['get']);
      expect(calls[0]).toMatchObject({ code: 0, stderr: '' });
      // Only the answer reached stdout: docker parsed it, and it is exactly one JSON line.
      expect(calls[0]?.stdout).toBe(
        `${JSON.stringify({ ServerURL: ECR_HOST, Username: 'AWS', Secret: PASSWORD })}\n`,
      );
      expect(world.ecr.requests[0]?.verification?.ok).toBe(true);
      expectNoAwsSecret(world, result.stdout + result.stderr);
    });

    it('as credsStore, pulls from private ECR and still pulls from Docker Hub anonymously', async () => {
      const world = await start({ credsStore: 'ecr-ts' });
      const ecrPull = await docker(world, 'pull', `${ECR_HOST}/app:1`);
      expect(ecrPull.stderr).toBe('');
      expect(ecrPull.code).toBe(0);
      const hubPull = await docker(world, 'pull', 'alpine');
      expect(hubPull.stderr).toBe('');
      expect(hubPull.code).toBe(0);
      expect(hubPull.stdout).toMatch(
        /Status: Downloaded newer image for (docker.io\/library\/)?alpine:latest/,
      );

      const [ecr, hub] = world.engine.pulls();
      expect(ecr?.registryAuth).toMatchObject({ username: 'AWS', password: PASSWORD });
      expect(hub?.query.get('fromImage')).toMatch(/^(docker.io\/library\/)?alpine$/);
      // Anonymous: docker sends no credentials at all for Docker Hub.
      expect(hub?.registryAuth?.username ?? '').toBe('');
      expect(hub?.registryAuth?.password ?? '').toBe('');

      const calls = world.calls();
      expect(calls.map((call) => call.args)).toEqual(['get', 'get']);
      expect(calls[1]).toEqual({
        args: 'get',
        code: 1,
        stdout: 'credentials not found in native keychain\n',
        stderr: '',
      });
      // Docker Hub is not ECR: no AWS call was made for it.
      expect(world.ecr.requests).toHaveLength(1);
    });

    it('as credsStore, an ECR Public pull carries a token from the ECR Public API', async () => {
      const world = await start({ credsStore: 'ecr-ts' });
      const result = await docker(world, 'pull', 'public.ecr.aws/amazonlinux/amazonlinux:2023');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const [pull] = world.engine.pulls();
      expect(pull?.registryAuth).toMatchObject({ username: 'AWS', password: PASSWORD });
      expect(world.calls().map((call) => [call.args, call.code, call.stderr])).toEqual([
        ['get', 0, ''],
      ]);
      // Signed for the ECR Public API, which lives in us-east-1 only.
      expect(world.ecr.requests[0]?.verification).toMatchObject({
        ok: true,
        region: 'us-east-1',
        service: 'ecr-public',
      });
    });

    it('as credsStore with no AWS credentials at all, ECR Public is pulled anonymously', async () => {
      const world = await start({ credsStore: 'ecr-ts' }, false);
      const result = await docker(world, 'pull', 'public.ecr.aws/amazonlinux/amazonlinux:2023');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const [pull] = world.engine.pulls();
      expect(pull?.registryAuth?.password ?? '').toBe('');
      expect(world.calls()).toEqual([
        {
          args: 'get',
          code: 1,
          stdout: 'credentials not found in native keychain\n',
          stderr: '',
        },
      ]);
      expect(world.ecr.requests).toEqual([]);
    });

    it('docker login and logout for an ECR host succeed and persist nothing', async () => {
      const world = await start({ credHelpers: { [ECR_HOST]: 'ecr-ts' } });
      const configPath = join(world.dockerConfigDir, 'config.json');
      const login = await runHelper({
        bin: cli.path,
        args: ['login', '--username', 'AWS', '--password-stdin', ECR_HOST],
        env: world.env,
        input: `${PASSWORD}\n`,
      });
      expect(login.stdout).toContain('Login Succeeded');
      expect(login.code).toBe(0);
      // docker handed the credentials to the helper, which accepted them and stored nothing.
      expect(readFileSync(configPath, 'utf8')).not.toContain(PASSWORD);
      const logout = await docker(world, 'logout', ECR_HOST);
      expect(logout.stderr).toBe('');
      expect(logout.code).toBe(0);
      const calls = world.calls();
      expect(calls.map((call) => call.args)).toContain('store');
      expect(calls.map((call) => call.args)).toContain('erase');
      for (const call of calls.filter((c) => c.args === 'store' || c.args === 'erase')) {
        expect(call).toMatchObject({ code: 0, stdout: '', stderr: '' });
      }
      // Still no password anywhere on disk, and a pull still gets a fresh token.
      expect(readFileSync(configPath, 'utf8')).not.toContain(PASSWORD);
      expect((await docker(world, 'pull', `${ECR_HOST}/app:1`)).code).toBe(0);
    });

    it('a private-ECR failure fails docker pull and shows the helper reason to the user', async () => {
      const world = await start({ credHelpers: { [ECR_HOST]: 'ecr-ts' } });
      world.ecr.defaultFault = 'access-denied';
      const result = await docker(world, 'pull', `${ECR_HOST}/app:1`);
      expect(result.code).not.toBe(0);
      // The user must read why: the action and the principal IAM named.
      expect(result.stderr).toContain('ecr:GetAuthorizationToken');
      expect(result.stderr).toContain('arn:aws:sts::123456789012:assumed-role/test-role/session');
      // Measured with 20.10 and 28: for a pull, the CLI ignores the helper's failure (its stdout
      // text is dropped), pulls anonymously and passes only the helper's stderr on to the user.
      expect(result.stderr).toContain('no basic auth credentials');
      const calls = world.calls();
      expect(calls).toHaveLength(1);
      expect(calls[0]?.code).toBe(1);
      expect(calls[0]?.stdout.trim().split('\n')).toHaveLength(1);
      expect(calls[0]?.stdout).toContain('ecr:GetAuthorizationToken');
      // The engine never received a password for this pull.
      for (const pull of world.engine.pulls()) expect(pull.registryAuth?.password ?? '').toBe('');
      expectNoAwsSecret(world, result.stdout + result.stderr + (calls[0]?.stdout ?? ''));
    });

    it('a hung credential endpoint cannot hang docker pull: it ends with the reason', async () => {
      const world = await start({ credHelpers: { [ECR_HOST]: 'ecr-ts' } });
      world.creds.defaultFault = 'hang';
      const result = await runHelper({
        bin: cli.path,
        args: ['pull', `${ECR_HOST}/app:1`],
        // A short bound keeps the suite quick; the default (10 s) is the same code path.
        env: { ...world.env, ECR_TS_TIMEOUT: '4' },
        input: '',
        killAfterMs: 30_000,
      });
      // Ended on its own (no safety kill), failed, and told the user why.
      expect(result.signal).toBeNull();
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/timed out after 4 s/);
      expect(world.creds.requests.length).toBeGreaterThan(0);
      expect(world.calls()).toHaveLength(1);
      expect(world.calls()[0]?.code).toBe(1);
    });

    it('without the helper the same pull fails with the daemon\'s "no basic auth credentials"', async () => {
      // The control for the tests above: the fake engine really refuses pulls without the password.
      const world = await start({});
      const result = await docker(world, 'pull', `${ECR_HOST}/app:1`);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('no basic auth credentials');
      expect(world.calls()).toEqual([]);
    });

    it('docker build (legacy builder) lists and fetches credentials through the helper', async () => {
      const world = await start({ credsStore: 'ecr-ts' });
      // A pull first, so a token cache (when present) has an entry for `list` to report.
      expect((await docker(world, 'pull', `${ECR_HOST}/base:1`)).code).toBe(0);
      writeFileSync(join(world.home, 'Dockerfile'), `FROM ${ECR_HOST}/base:1\n`);
      const result = await runHelper({
        bin: cli.path,
        args: ['build', '-q', world.home],
        env: { ...world.env, DOCKER_BUILDKIT: '0' },
        input: '',
      });
      expect(result.code).toBe(0);
      const build = world.engine.requests.find((seen) => seen.path === '/build');
      expect(build?.registryConfig).toBeDefined();
      const calls = world.calls();
      // `list` ran, answered a JSON object on stdout and nothing else.
      const list = calls.find((call) => call.args === 'list');
      expect(list).toMatchObject({ code: 0, stderr: '' });
      const listed = JSON.parse(list?.stdout ?? 'null') as Record<string, string>;
      // The pull before cached the token: `list` reports that registry (and only it), and the
      // client then fetched its password through `get` for the build's X-Registry-Config.
      expect(listed).toEqual({ [ECR_HOST]: 'AWS' });
      expect(build?.registryConfig?.[ECR_HOST]).toMatchObject({
        username: 'AWS',
        password: PASSWORD,
      });
    });
  },
);
