/**
 * The seed's situation, end to end: an app in an ECS task drives the Docker Engine API (socket
 * mounted into the task) and pulls from private ECR with no ECR code. The task's credentials come
 * only from the ECS container credential endpoint, http://169.254.170.2 +
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, which the test serves inside its own network namespace.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { startFakeEngine, type FakeEngine } from '../support/fake-engine';
import { createNetns, netnsSupport, type Netns } from '../support/netns';
import { haveTool, missingPeer } from './find-tool';
import { installRecordingHelper, readHelperCalls } from './recording-helper';
import { runInNetns } from './run-in-netns';
import { ECR_HOST } from '../support/registry-host';

scrubProcessEnv();

const PYTHON = '/usr/bin/python3';
const CLIENT = join(__dirname, 'docker-py-client.py');
const PASSWORD = 'ecr-password-for-the-ecs-task-test';
const RELATIVE_URI = `/v2/credentials/${randomUUID()}`;

function canRun(): boolean {
  const netns = netnsSupport();
  if (!netns.ok) {
    return missingPeer(`the ECS task e2e needs a network namespace, but ${netns.reason}`);
  }
  return haveTool('docker-py (python3-docker)', [PYTHON, '-c', 'import docker']);
}

const describeTask = canRun() ? describe : describe.skip;

describeTask('an app in an ECS task pulls from private ECR through the helper', () => {
  let dir: string;
  let netns: Netns;
  let fakes: FakesProcess;
  let engine: FakeEngine;
  let env: Record<string, string>;
  const recordDir = () => join(dir, 'helper-calls');

  beforeAll(async () => {
    dir = tempDir('ecr-ts-ecs-');
    // The link-local ECS endpoint exists only inside this namespace, on its loopback.
    netns = await createNetns({ addresses: ['169.254.170.2/32'] });
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'ecr', name: 'ecr', password: PASSWORD },
          { kind: 'credentials', name: 'ecs', host: '169.254.170.2', port: 80 },
        ],
      },
      { netns },
    );
    // The engine socket, as /var/run/docker.sock is mounted into the task: a path, so it reaches
    // clients inside the namespace.
    engine = await startFakeEngine({
      socketPath: join(dir, 'docker.sock'),
      privateRegistries: { [ECR_HOST]: { username: 'AWS', password: PASSWORD } },
    });
    const home = join(dir, 'home');
    const bin = join(home, 'bin');
    installRecordingHelper(bin, recordDir());
    const dockerConfig = join(home, '.docker');
    mkdirSync(dockerConfig, { recursive: true });
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-ts' } }),
    );
    const base = cleanEnv(home);
    env = {
      ...base,
      PATH: `${bin}:${base['PATH'] ?? '/usr/bin:/bin'}`,
      DOCKER_HOST: engine.dockerHost,
      // What ECS puts into every container of a task with a task role; nothing else is set.
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: RELATIVE_URI,
      AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
    };
  });

  afterAll(async () => {
    await engine?.close();
    await fakes?.close();
    await netns?.close();
  });

  it('docker-py images.pull() with no auth_config sends the token the task role obtained', async () => {
    const result = await runInNetns(netns, env, PYTHON, [CLIENT, 'pull', `${ECR_HOST}/app`, '7']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
    expect(engine.pulls().at(-1)?.registryAuth).toMatchObject({
      username: 'AWS',
      password: PASSWORD,
      serveraddress: ECR_HOST,
    });
    const snapshot = await fakes.snapshot();
    const ecs = snapshot.servers['ecs'];
    const ecr = snapshot.servers['ecr'];
    // The credentials came from 169.254.170.2 at the relative URI, and signed the ECR call.
    expect(ecs?.requests.map((request) => request.path)).toContain(RELATIVE_URI);
    expect(ecr?.requests.at(-1)?.verification).toMatchObject({
      ok: true,
      region: 'eu-west-1',
      accessKeyId: ecs?.issued.at(-1)?.accessKeyId,
    });
    expect(readHelperCalls(recordDir()).at(-1)).toMatchObject({ args: 'get', code: 0 });
  });

  const dockerCli = haveTool('the docker CLI', ['docker', '--version'])
    ? execFileSync('sh', ['-c', 'command -v docker']).toString().trim()
    : '';
  (dockerCli ? it : it.skip)('the docker CLI in the same task pulls the same way', async () => {
    const result = await runInNetns(netns, env, dockerCli, ['pull', `${ECR_HOST}/app:8`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(engine.pulls().at(-1)?.registryAuth).toMatchObject({
      username: 'AWS',
      password: PASSWORD,
    });
  });
});
