/**
 * The recipes of docs/recipes.md, as far as this machine can run them (it says what is not run):
 * - the ECS task image: the Dockerfile's files laid out in a temp root as a build would (its COPY
 *   lines, and its RUN of the helper's configure against that tree; not FROM or pip: no registry
 *   and no engine here), then its app.py run with Debian's docker-py inside a network namespace
 *   where a fake ECS credential endpoint answers at 169.254.170.2, against a fake engine;
 * - ci-pull.sh, the shell both CI recipes run, as written: install.sh from the release folder,
 *   a web identity token exchanged by STS, and the docker CLI's pull through a fake engine.
 * The recipes' example registry is replaced by the test's, and AWS endpoints by local fakes.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { KeyStore, startFakeEcr, type FakeEcr } from '../support/fake-aws';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { startFakeEngine, type FakeEngine } from '../support/fake-engine';
import { startFakeSts, type FakeSts } from '../support/fake-sts';
import { createNetns, netnsSupport, type Netns } from '../support/netns';
import { runHelper } from '../support/run-helper';
import { ECR_HOST } from '../support/registry-host';
import { haveTool, missingPeer } from './find-tool';
import { runInNetns } from './run-in-netns';

scrubProcessEnv();

const ROOT = join(__dirname, '..', '..');
const RECIPES = join(ROOT, 'docs', 'recipes.md');
const ECS = join(ROOT, 'docs', 'recipes', 'ecs-task');
const RELEASE = join(ROOT, 'dist', 'release');
const NAME = 'docker-credential-ecr-ts';
/** The registry the recipes are written for; the tests use theirs. */
const EXAMPLE_REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const PYTHON = '/usr/bin/python3';
const forTest = (text: string) => text.split(EXAMPLE_REGISTRY).join(ECR_HOST);

/** One Dockerfile instruction: its keyword and the rest of the line. */
function instructions(text: string): { keyword: string; rest: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), rest: rest.join(' ') };
    });
}

describe('the ECS task image recipe (docs/recipes/ecs-task)', () => {
  const netns = netnsSupport();
  const runnable =
    (netns.ok || missingPeer(`the ECS recipe needs a network namespace, but ${netns.reason}`)) &&
    haveTool('docker-py (python3-docker)', [PYTHON, '-c', 'import docker']);
  const PASSWORD = 'ecr-password-for-the-ecs-recipe';
  const RELATIVE_URI = `/v2/credentials/${randomUUID()}`;

  /** The image's file tree, as `docker build` would make it, and what it did not run. */
  function build(): { root: string; env: Record<string, string>; skipped: string[] } {
    const root = tempDir('ecr-ts-ecs-image-');
    chmodSync(root, 0o755);
    // The build context: the release file (or this machine's build of the same program), app.py.
    const context = tempDir('ecr-ts-ecs-context-');
    const release = join(RELEASE, `${NAME}-linux-x64`);
    copyFileSync(
      existsSync(release) ? release : join(ROOT, 'dist', NAME),
      join(context, `${NAME}-linux-x64`),
    );
    copyFileSync(join(ECS, 'app.py'), join(context, 'app.py'));
    const args: Record<string, string> = {};
    const env: Record<string, string> = {};
    const skipped: string[] = [];
    const expand = (text: string) =>
      text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => args[a ?? b] ?? '');
    for (const { keyword, rest } of instructions(readFileSync(join(ECS, 'Dockerfile'), 'utf8'))) {
      if (keyword === 'ARG') {
        const [name = '', value = ''] = rest.split('=');
        args[name] = value;
      } else if (keyword === 'COPY') {
        const words = expand(rest).split(/\s+/);
        const chmod = words.find((word) => word.startsWith('--chmod='))?.slice('--chmod='.length);
        const [source = '', target = ''] = words.filter((word) => !word.startsWith('--'));
        mkdirSync(join(root, dirname(target)), { recursive: true });
        copyFileSync(join(context, source), join(root, target));
        chmodSync(join(root, target), chmod ? parseInt(chmod, 8) : 0o644);
      } else if (keyword === 'RUN') {
        const argv = JSON.parse(forTest(rest)) as string[];
        if (argv[0] !== `/usr/local/bin/${NAME}`) {
          skipped.push(rest);
          continue;
        }
        // Run as the image's root user would: HOME=/root, inside the image's tree.
        const output = execFileSync(join(root, argv[0]), argv.slice(1), {
          env: cleanEnv(join(root, 'root')),
          encoding: 'utf8',
        });
        expect(output).toContain('wrote');
      } else if (keyword === 'ENV') {
        const [name = '', ...value] = forTest(rest).split('=');
        env[name] = value.join('=');
      } else {
        skipped.push(`${keyword} ${rest}`);
      }
    }
    return { root, env, skipped };
  }

  it('lays out the helper and a docker config that names it, running only what it can', () => {
    const { root, skipped } = build();
    expect(statSync(join(root, 'usr', 'local', 'bin', NAME)).mode & 0o777).toBe(0o755);
    expect(JSON.parse(readFileSync(join(root, 'root', '.docker', 'config.json'), 'utf8'))).toEqual({
      credHelpers: { [ECR_HOST]: 'ecr-ts' },
    });
    // What a real build does and this one cannot: the base image, pip, the command.
    expect(skipped).toEqual([
      'FROM python:3.12-slim',
      '["pip", "install", "--no-cache-dir", "docker==7.1.0"]',
      'CMD ["python", "/app/app.py"]',
    ]);
  });

  describe('its app.py in a task', () => {
    let ns: Netns;
    let fakes: FakesProcess;
    let engine: FakeEngine;
    beforeAll(async () => {
      if (!runnable) return;
      ns = await createNetns({ addresses: ['169.254.170.2/32'] });
      fakes = await startFakesProcess(
        {
          servers: [
            { kind: 'ecr', name: 'ecr', password: PASSWORD },
            { kind: 'credentials', name: 'ecs', host: '169.254.170.2', port: 80 },
          ],
        },
        { netns: ns },
      );
      engine = await startFakeEngine({
        socketPath: join(tempDir('ecr-ts-ecs-engine-'), 'docker.sock'),
        privateRegistries: { [ECR_HOST]: { username: 'AWS', password: PASSWORD } },
      });
    });
    afterAll(async () => {
      await engine?.close();
      await fakes?.close();
      await ns?.close();
    });

    (runnable ? it : it.skip)(
      'pulls IMAGE with the credentials of the task role, through the helper of the image',
      async () => {
        const { root, env: imageEnv } = build();
        const system = cleanEnv(root)['PATH'] ?? '/usr/bin:/bin';
        const env = {
          // The image's environment: its PATH and HOME, its ENV lines.
          ...cleanEnv(join(root, 'root')),
          PATH: `${join(root, 'usr', 'local', 'bin')}:${system}`,
          ...imageEnv,
          // What the task adds: the engine's socket, and ECS's credentials variable.
          DOCKER_HOST: engine.dockerHost,
          AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: RELATIVE_URI,
          AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
        };
        const result = await runInNetns(ns, env, PYTHON, [join(root, 'app', 'app.py')]);
        expect(result.stderr).toBe('');
        expect(result.stdout).toContain('pulled');
        expect(engine.pulls().at(-1)?.registryAuth).toMatchObject({
          username: 'AWS',
          password: PASSWORD,
          serveraddress: ECR_HOST,
        });
        const snapshot = await fakes.snapshot();
        expect(snapshot.servers['ecs']?.requests.map((request) => request.path)).toContain(
          RELATIVE_URI,
        );
      },
    );
  });
});

describe('ci-pull.sh, the CI recipes with an OIDC token (docs/recipes.md)', () => {
  const block = /```sh\n# tested: ci-pull\n([\s\S]*?)```/.exec(readFileSync(RECIPES, 'utf8'))?.[1];
  const released = existsSync(join(RELEASE, 'SHA256SUMS'));
  if (!released && process.env['REQUIRE_E2E_PEERS']) {
    throw new Error(`${RELEASE} is missing: run \`npm run build:release\` first`);
  }
  const docker = ['/usr/local/bin/docker', '/usr/bin/docker'].find((path) => existsSync(path));
  const runnable =
    (released || missingPeer(`no release folder ${RELEASE} (npm run build:release)`)) &&
    (docker !== undefined || missingPeer('the docker CLI is not installed'));

  it('is in docs/recipes.md', () => {
    expect(block).toContain('install.sh');
  });

  (runnable ? it : it.skip)(
    'installs the helper from the release folder and pulls with the role the token assumes',
    async () => {
      const home = tempDir('ecr-ts-ci-');
      const token = `oidc.${randomUUID()}.sig`;
      const tokenFile = join(home, 'web-identity-token');
      writeFileSync(tokenFile, token);
      const keys = new KeyStore();
      const PASSWORD = 'ecr-password-for-the-ci-recipe';
      let ecr: FakeEcr | undefined;
      let sts: FakeSts | undefined;
      let engine: FakeEngine | undefined;
      try {
        ecr = await startFakeEcr({ keys, password: PASSWORD });
        sts = await startFakeSts({ keys, expectedToken: token });
        engine = await startFakeEngine({
          privateRegistries: { [ECR_HOST]: { username: 'AWS', password: PASSWORD } },
        });
        const base = cleanEnv(home);
        const result = await runHelper({
          bin: '/bin/bash',
          args: ['-euo', 'pipefail', '-c', forTest(block ?? '')],
          input: '',
          env: {
            ...base,
            PATH: `${dirname(docker ?? '')}:${base['PATH'] ?? '/usr/bin:/bin'}`,
            HELPER_RELEASE: RELEASE,
            AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci-pull',
            AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
            AWS_ENDPOINT_URL_STS: sts.url,
            AWS_ENDPOINT_URL_ECR: ecr.url,
            DOCKER_HOST: engine.dockerHost,
          },
        });
        expect([result.code, result.stderr.includes('error')]).toEqual([0, false]);
        expect(result.stderr).toContain(`installed ${join(home, '.local', 'bin', NAME)}`);
        expect(sts.calls[0]).toMatchObject({
          Action: 'AssumeRoleWithWebIdentity',
          WebIdentityToken: token,
        });
        expect(engine.pulls().at(-1)?.registryAuth).toMatchObject({
          username: 'AWS',
          password: PASSWORD,
        });
        expect(result.stdout + result.stderr).not.toContain(token);
      } finally {
        await engine?.close();
        await sts?.close();
        await ecr?.close();
      }
    },
    120_000,
  );
});
