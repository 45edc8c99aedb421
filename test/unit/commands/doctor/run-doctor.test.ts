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
