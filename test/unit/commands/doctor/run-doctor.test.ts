import { randomBytes } from 'node:crypto';
import { renderJson, renderText } from '../../../../src/commands/doctor/render-doctor';
import type { DoctorReport } from '../../../../src/commands/doctor/check';
import { HelperError } from '../../../../src/errors';
import {
  answer,
  CALLER,
  doctorIn,
  ECR_HOST,
  hang,
  healthyWorld,
  HELPER_PATH,
  IMAGE,
  KEYS,
  NOW,
  PASSWORD,
} from '../../../support/fake-doctor';

describe('runDoctor()', () => {
  it('walks every link of a healthy chain in order, each ok', async () => {
    const { report, by } = await doctorIn(healthyWorld(), IMAGE);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ['docker-config', true],
      ['helper-on-path', true],
      ['route', true],
      ['aws-credentials', true],
      ['caller-identity', true],
      ['authorization-token', true],
      ['registry', true],
      ['image', true],
    ]);
    expect(by['docker-config'].detail).toBe(
      `/d/config.json (from DOCKER_CONFIG): credHelpers["${ECR_HOST}"] runs docker-credential-ecr-ts`,
    );
    expect(by['helper-on-path'].detail).toMatch(`${HELPER_PATH}: docker-credential-ecr-ts (npm:`);
    expect(by['caller-identity'].detail).toBe(`account 123456789012, ${CALLER}`);
    expect(by['registry'].detail).toBe(
      `GET https://${ECR_HOST}/v2/ with the token: HTTP 200 (basic auth)`,
    );
  });

  it('masks every secret it saw, wherever it shows', async () => {
    const world = healthyWorld();
    world.env['AWS_SECRET_ACCESS_KEY'] = 'env-SECRET-value';
    // A registry that echoes secrets in its error: the token, a key from the environment, the
    // credentials' secret key.
    world.registry = async (url) =>
      url.endsWith('/v2/')
        ? answer(200)
        : answer(500, {
            errors: [
              { code: 'X', message: `${PASSWORD} env-SECRET-value ${KEYS.secretAccessKey}` },
            ],
          });
    const { by } = await doctorIn(world, IMAGE);
    expect(by['image']).toMatchObject({ ok: false, detail: 'app:1: HTTP 500 (X: *** *** ***)' });
  });

  /** Fails when the report, as text or JSON, holds any 8 characters in a row of `secret`. */
  function expectNoPart(report: DoctorReport, secret: string): void {
    const printed = renderText(report, IMAGE) + renderJson(report);
    for (let i = 0; i + 8 <= secret.length; i += 1) {
      expect(printed).not.toContain(secret.slice(i, i + 8));
    }
  }

  // Random, as an ECR password is: no ordinary word of the report is part of it.
  const RANDOM_PASSWORD = randomBytes(48).toString('base64url');
  const BASIC = Buffer.from(`AWS:${RANDOM_PASSWORD}`).toString('base64');

  it.each([
    ['whole', `bad credentials: Basic ${BASIC}`],
    // Cut by doctor's own 300-character clip, a prefix of the value would be left.
    ['cut by the clip', `${'x'.repeat(280)} Basic ${BASIC}`],
    // Cut by the registry (or a proxy) before doctor saw it.
    ['cut by the registry', `authorization was Basic ${BASIC.slice(0, 30)}`],
    ['decoded', `user AWS with password ${RANDOM_PASSWORD.slice(0, 12)}`],
  ])('never prints the Basic value a registry quotes in its errors (%s)', async (_how, message) => {
    const world = healthyWorld();
    world.token = async () => ({ authorizationToken: BASIC, expiresAt: new Date(NOW + 3600_000) });
    world.registry = async () => answer(401, { errors: [{ code: 'UNAUTHORIZED', message }] });
    const { report, by } = await doctorIn(world, IMAGE);
    expect(by['registry'].ok).toBe(false);
    expect(by['registry'].detail).toContain('UNAUTHORIZED: ');
    expectNoPart(report, BASIC);
    expectNoPart(report, RANDOM_PASSWORD);
  });

  it('never prints the password from the headers of a manifest it quotes', async () => {
    const world = healthyWorld();
    world.token = async () => ({ authorizationToken: BASIC, expiresAt: new Date(NOW + 3600_000) });
    world.registry = async (url) =>
      url.endsWith('/v2/')
        ? answer(200)
        : answer(200, '{}', {
            'docker-content-digest': `sha256:${RANDOM_PASSWORD.slice(0, 20)}`,
            'content-type': `application/${BASIC}`,
          });
    const { report, by } = await doctorIn(world, IMAGE);
    expect(by['image']).toMatchObject({
      ok: true,
      detail: 'app:1: manifest sha256:*** (application/***)',
    });
    expectNoPart(report, BASIC);
    expectNoPart(report, RANDOM_PASSWORD);
  });

  it('never prints a bearer token it obtained, whole or cut, nor headers that quote it', async () => {
    const world = healthyWorld();
    const token = `bearer-${randomBytes(24).toString('base64url')}`;
    world.registry = async (url, headers) => {
      if (url.startsWith('https://auth.example.com/')) return answer(200, { token });
      if (headers['authorization'] === `Bearer ${token}`) {
        return url.endsWith('/v2/')
          ? answer(200)
          : answer(
              403,
              { errors: [{ code: 'DENIED', message: `token ${token.slice(0, 20)} may not pull` }] },
              { 'content-type': `text/${token}` },
            );
      }
      return answer(401, '', {
        'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"',
      });
    };
    const { report, by } = await doctorIn(world, IMAGE);
    expect(by['registry']).toMatchObject({ ok: true });
    expect(by['image']).toMatchObject({ ok: false });
    expect(by['image'].detail).toContain('DENIED: token *** may not pull');
    expectNoPart(report, token);
  });

  it('bounds each check by the timeout: a hung one fails with what it waited for, the rest go on', async () => {
    const world = healthyWorld();
    world.callerIdentity = hang;
    const { report, by } = await doctorIn(world, IMAGE, { stepTimeoutMs: 20 });
    expect(by['caller-identity']).toEqual({
      name: 'caller-identity',
      ok: false,
      detail:
        'timed out after 0.02 s while calling sts:GetCallerIdentity at https://sts.eu-west-1.amazonaws.com',
      hint: 'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).',
    });
    expect(by['authorization-token'].ok).toBe(true);
    expect(by['image'].ok).toBe(true);
    expect(report.ok).toBe(false);
  });

  it('turns a check that throws into its failed finding', async () => {
    const world = healthyWorld();
    world.agentsError = new HelperError('CONFIG', 'AWS_CA_BUNDLE "/x.pem" cannot be read (ENOENT)');
    const { by } = await doctorIn(world, IMAGE);
    expect(by['aws-credentials']).toEqual({
      name: 'aws-credentials',
      ok: false,
      detail: 'AWS_CA_BUNDLE "/x.pem" cannot be read (ENOENT)',
    });
    expect(by['caller-identity']).toMatchObject({
      ok: null,
      detail: 'needs AWS credentials (see aws-credentials)',
    });
  });

  it('ends every check when the whole call is aborted', async () => {
    const world = healthyWorld();
    const caller = new AbortController();
    caller.abort();
    let aborted: boolean | undefined;
    world.credentials = async (options) => {
      aborted = options.signal.aborted;
      throw new Error('aborted');
    };
    await doctorIn(world, IMAGE, { signal: caller.signal });
    expect(aborted).toBe(true);
  });

  it('chooses the AWS agents once and closes every agent it chose', async () => {
    const { trace } = await doctorIn(healthyWorld(), IMAGE);
    // One choice for the AWS checks, one each for the registry and image checks.
    expect(trace.agentsChosen).toBe(3);
    expect(trace.agentsDestroyed).toBe(3);
    expect(trace.sdkLoads).toBe(1);
  });

  it('without a target checks docker and the default credentials, and skips the rest', async () => {
    const world = healthyWorld();
    world.env['AWS_REGION'] = 'ap-south-1';
    let region: string | undefined;
    const credentials = world.credentials;
    world.credentials = (options) => {
      region = options.region;
      return credentials(options);
    };
    const { report } = await doctorIn(world);
    expect(report.checks.map((check) => [check.name, check.ok, check.detail])).toEqual([
      ['docker-config', true, expect.any(String)],
      ['helper-on-path', true, expect.any(String)],
      ['route', null, 'no registry named'],
      ['aws-credentials', true, expect.any(String)],
      ['caller-identity', true, expect.any(String)],
      ['authorization-token', null, 'no registry named'],
      ['registry', null, 'no registry named'],
      ['image', null, 'no image named (give host/repository:tag)'],
    ]);
    expect(region).toBe('ap-south-1');
  });
});
