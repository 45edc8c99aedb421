import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import type * as Library from '../../src/index';
import { cleanEnv, scrubProcessEnv, tempDir } from '../support/env';
import { KeyStore, startFakeEcr, type FakeEcr } from '../support/fake-aws';
import { startFakeEngine, type FakeEngine } from '../support/fake-engine';
import { runHelper } from '../support/run-helper';
import { ECR_HOST as REGISTRY } from '../support/registry-host';

scrubProcessEnv();

// The built package entry (what `require('docker-credential-ecr-ts')` loads), outside jest's
// module registry: the same file users get, lazily loading dist/aws-sdk.cjs on a cache miss.
const library = createRequire(__filename)(
  join(__dirname, '..', '..', 'dist', 'index.cjs'),
) as typeof Library;

const IMAGE = `${REGISTRY}/team/app:1.0`;

/** Pulls through the engine the way dockerode users do; resolves to the progress messages. */
async function pull(docker: Dockerode, image: string, authconfig?: object): Promise<object[]> {
  const stream = (await docker.pull(
    image,
    authconfig ? { authconfig } : {},
  )) as NodeJS.ReadableStream;
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null, output: object[]) =>
      error ? reject(error) : resolve(output),
    );
  });
}

function pullError(output: object[]): string | undefined {
  return output
    .map((line) => (line as { error?: string }).error)
    .find((error) => error !== undefined);
}

describe('library getAuthConfig() with dockerode, through a fake Docker Engine', () => {
  const saved = { ...process.env };
  const password = `pw-${randomBytes(18).toString('base64url')}`;
  let home: string;
  let env: Record<string, string>;
  let ecr: FakeEcr;
  let engine: FakeEngine;
  let docker: Dockerode;

  beforeAll(async () => {
    const keys = new KeyStore();
    const key = keys.add({
      accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(20).toString('base64'),
    });
    ecr = await startFakeEcr({ keys, password });
    engine = await startFakeEngine({
      privateRegistries: { [REGISTRY]: { username: 'AWS', password } },
    });
    home = tempDir('ecr-ts-dockerode-');
    env = cleanEnv(home, {
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_ENDPOINT_URL_ECR: ecr.url,
      // The SDK's Node 20 deprecation notice is the host program's business, not this test's.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    // The library runs in this process, and the AWS SDK reads process.env: point it at the fakes.
    for (const name of Object.keys(process.env)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, env);
    const port = Number(new URL(engine.url).port);
    docker = new Dockerode({ protocol: 'http', host: '127.0.0.1', port });
  });

  afterAll(async () => {
    for (const name of Object.keys(process.env)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, saved);
    await engine.close();
    await ecr.close();
  });

  it('returns the auth config for an ECR image, and dockerode pulls with it', async () => {
    const auth = await library.getAuthConfig(IMAGE);
    expect(auth).toEqual({ username: 'AWS', password, serveraddress: REGISTRY });
    expect(ecr.tokenCalls()).toBe(1);
    expect(ecr.requests[0]?.verification).toMatchObject({ ok: true, region: 'eu-west-1' });

    const output = await pull(docker, IMAGE, auth);
    expect(pullError(output)).toBeUndefined();
    expect(output).toContainEqual({ status: `Status: Downloaded newer image for ${IMAGE}` });
    expect(engine.pulls().at(-1)?.registryAuth).toEqual({
      username: 'AWS',
      password,
      serveraddress: REGISTRY,
    });
  });

  it('the engine refuses the pull without it, or with a wrong password (the check is real)', async () => {
    expect(pullError(await pull(docker, IMAGE))).toContain('no basic auth credentials');
    const wrong = { username: 'AWS', password: 'not-the-password', serveraddress: REGISTRY };
    expect(pullError(await pull(docker, IMAGE, wrong))).toContain('authentication required');
  });

  it('answers again from the cache it shares with the executable: no new token call', async () => {
    const before = ecr.tokenCalls();
    await expect(library.getAuthConfig(`https://${REGISTRY}`)).resolves.toMatchObject({ password });
    const helper = await runHelper({ args: ['get'], input: `${REGISTRY}\n`, env });
    expect(helper.stderr).toBe('');
    expect(helper.code).toBe(0);
    expect(JSON.parse(helper.stdout)).toEqual({
      ServerURL: REGISTRY,
      Username: 'AWS',
      Secret: password,
    });
    expect(ecr.tokenCalls()).toBe(before);
  });

  it.each([
    'node:24',
    'docker.io/library/node:24',
    'ghcr.io/owner/app@sha256:abc',
    'localhost:5000/app',
  ])('returns undefined for %s (not ECR) without calling AWS', async (image) => {
    const before = ecr.requests.length;
    await expect(library.getAuthConfig(image)).resolves.toBeUndefined();
    expect(ecr.requests.length).toBe(before);
  });

  it('throws a HelperError with a code when ECR refuses, never leaking the keys', async () => {
    ecr.defaultFault = 'access-denied';
    const other = '123456789012.dkr.ecr.ap-south-1.amazonaws.com/app';
    const error: unknown = await library
      .getAuthConfig(other)
      .catch((thrown: unknown) => thrown)
      .finally(() => (ecr.defaultFault = 'ok'));
    expect(library.isHelperError(error, 'ACCESS_DENIED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('ecr:GetAuthorizationToken');
    expect(message).not.toContain(env['AWS_SECRET_ACCESS_KEY']);
    expect(message).not.toContain(env['AWS_ACCESS_KEY_ID']);
  });
});
