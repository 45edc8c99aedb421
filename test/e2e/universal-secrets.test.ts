/**
 * Universal mode closing the seed's loop (docs/universal-mode.md): in an ECS task, with the helper as docker's
 * `credsStore`, the docker CLI and docker-py pull from private ECR *and* from a registry that is
 * not ECR, whose password comes from AWS Secrets Manager. Nobody runs `docker login` anywhere;
 * every credential comes from the task role at http://169.254.170.2 +
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, served inside the test's own network namespace.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { startFakeEngine, type FakeEngine } from '../support/fake-engine';
import { createNetns, netnsSupport, type Netns } from '../support/netns';
import { haveTool, missingPeer } from './find-tool';
import { installRecordingHelper, readHelperCalls } from './recording-helper';
import { runInNetns } from './run-in-netns';

scrubProcessEnv();

const PYTHON = '/usr/bin/python3';
const CLIENT = join(__dirname, 'docker-py-client.py');
const ECR_HOST = '123456789012.dkr.ecr.eu-central-1.amazonaws.com';
const ECR_PASSWORD = 'ecr-password-for-the-universal-test';
const REGISTRY = 'registry.example.com';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:registry-login-AbCdEf';
const LOGIN = { username: 'ci-robot', password: 'registry-password-from-secrets-manager' };
const RELATIVE_URI = `/v2/credentials/${randomUUID()}`;

function canRun(): boolean {
  const netns = netnsSupport();
  if (!netns.ok) {
    return missingPeer(`the universal-mode e2e needs a network namespace, but ${netns.reason}`);
  }
  return true;
}

const describeTask = canRun() ? describe : describe.skip;

describeTask('universal mode in an ECS task: ECR and a Secrets Manager registry, no login', () => {
  let dir: string;
  let netns: Netns;
  let fakes: FakesProcess;
  let engine: FakeEngine;
  let env: Record<string, string>;
  let dockerConfigFile: string;
  const recordDir = () => join(dir, 'helper-calls');

  beforeAll(async () => {
    dir = tempDir('ecr-ts-universal-');
    netns = await createNetns({ addresses: ['169.254.170.2/32'] });
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'ecr', name: 'ecr', password: ECR_PASSWORD },
          { kind: 'credentials', name: 'ecs', host: '169.254.170.2', port: 80 },
          {
            kind: 'secrets-manager',
            name: 'secrets',
            secrets: { [SECRET_ARN]: JSON.stringify(LOGIN) },
          },
        ],
      },
      { netns },
    );
    engine = await startFakeEngine({
      socketPath: join(dir, 'docker.sock'),
      privateRegistries: {
        [ECR_HOST]: { username: 'AWS', password: ECR_PASSWORD },
        [REGISTRY]: LOGIN,
      },
    });
    const home = join(dir, 'home');
    const bin = join(home, 'bin');
    installRecordingHelper(bin, recordDir());
    // One credsStore for every registry, and no `auths` anywhere: nobody logged in.
    mkdirSync(join(home, '.docker'), { recursive: true });
    dockerConfigFile = join(home, '.docker', 'config.json');
    writeFileSync(dockerConfigFile, JSON.stringify({ credsStore: 'ecr-ts' }));
    const configDir = join(home, '.config', 'docker-credential-ecr-ts');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({
        fallback: 'none',
        registries: { [REGISTRY]: { secretsManager: SECRET_ARN } },
      }),
    );
    const base = cleanEnv(home);
    env = {
      ...base,
      PATH: `${bin}:${base['PATH'] ?? '/usr/bin:/bin'}`,
      DOCKER_HOST: engine.dockerHost,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: RELATIVE_URI,
      AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fakes.url('secrets'),
    };
  });

  afterAll(async () => {
    await engine?.close();
    await fakes?.close();
    await netns?.close();
  });

  /** The Secrets Manager reads were signed with the task role's keys, in the secret's region. */
  async function expectSignedByTaskRole(): Promise<void> {
    const snapshot = await fakes.snapshot();
    const issued = new Set(snapshot.servers['ecs']?.issued.map((key) => key.accessKeyId));
    const reads = snapshot.servers['secrets']?.requests ?? [];
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect(read.verification).toMatchObject({
        ok: true,
        region: 'eu-central-1',
        service: 'secretsmanager',
      });
      expect(issued.has(read.verification?.accessKeyId ?? '')).toBe(true);
    }
  }

  const dockerCli = haveTool('the docker CLI', ['docker', '--version'])
    ? execFileSync('sh', ['-c', 'command -v docker']).toString().trim()
    : '';
  (dockerCli ? it : it.skip)(
    'the docker CLI pulls the non-ECR image with the password from Secrets Manager',
    async () => {
      const result = await runInNetns(netns, env, dockerCli, ['pull', `${REGISTRY}/team/app:3`]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(engine.pulls().at(-1)?.registryAuth).toMatchObject({
        username: LOGIN.username,
        password: LOGIN.password,
        serveraddress: REGISTRY,
      });
      const calls = readHelperCalls(recordDir());
      expect(calls.at(-1)).toMatchObject({ args: 'get', code: 0, stderr: '' });
      await expectSignedByTaskRole();
      // Still no login anywhere: the docker config is as written.
      expect(JSON.parse(readFileSync(dockerConfigFile, 'utf8'))).toEqual({ credsStore: 'ecr-ts' });
    },
  );

  const hasDockerPy = haveTool('docker-py (python3-docker)', [PYTHON, '-c', 'import docker']);
  (hasDockerPy ? it : it.skip)(
    'docker-py pulls an ECR image and the Secrets Manager image with one credsStore',
    async () => {
      const before = engine.pulls().length;
      for (const [repository, tag] of [
        [`${ECR_HOST}/app`, '7'],
        [`${REGISTRY}/team/app`, '4'],
      ] as const) {
        const result = await runInNetns(netns, env, PYTHON, [CLIENT, 'pull', repository, tag]);
        expect(result.stderr).toBe('');
        expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
      }
      const [ecrPull, registryPull] = engine.pulls().slice(before);
      expect(ecrPull?.registryAuth).toMatchObject({
        username: 'AWS',
        password: ECR_PASSWORD,
        serveraddress: ECR_HOST,
      });
      expect(registryPull?.registryAuth).toMatchObject({
        username: LOGIN.username,
        password: LOGIN.password,
      });
      const snapshot = await fakes.snapshot();
      const ecs = snapshot.servers['ecs'];
      expect(ecs?.requests.map((request) => request.path)).toContain(RELATIVE_URI);
      expect(snapshot.servers['ecr']?.requests.at(-1)?.verification).toMatchObject({
        ok: true,
        region: 'eu-central-1',
      });
      await expectSignedByTaskRole();
    },
  );
});
