import { renderJson } from '../../../../src/commands/doctor/render-doctor';
import {
  answer,
  doctorIn,
  ECR_HOST,
  healthyWorld,
  IMAGE,
  PASSWORD,
  SECRET_PASSWORD,
  SECRET_USER,
  sdkError,
  type DoctorWorld,
} from '../../../support/fake-doctor';

const ROLE = 'arn:aws:iam::123456789012:role/puller';
const FROM_FILE = '; decided by the config file /c/config.json';

/** The route, aws-credentials and authorization-token findings for `subject` under `configFile`. */
async function routed(subject: string, configFile?: unknown) {
  const world = healthyWorld();
  if (configFile !== undefined) world.configFile = configFile;
  const { by } = await doctorIn(world, subject);
  return {
    route: by['route'],
    credentials: by['aws-credentials'],
    token: by['authorization-token'],
  };
}

describe('route', () => {
  it('is skipped without a registry, saying how to name one', async () => {
    const { by } = await doctorIn(healthyWorld());
    expect(by['route']).toEqual({
      name: 'route',
      ok: null,
      detail: 'no registry named',
      hint: 'Name one: doctor <registry or image>.',
    });
  });

  it('names the ECR registry, its token API and the built-in rule', async () => {
    const { route } = await routed(IMAGE);
    expect(route).toEqual({
      name: 'route',
      ok: true,
      detail: `${ECR_HOST}: private ECR of account 123456789012 in eu-west-1 (aws), token from ecr:GetAuthorizationToken; decided by the built-in defaults`,
    });
  });

  it('names an identity and an alias from the config file, and the AWS checks follow them', async () => {
    const identity = await routed(IMAGE, {
      registries: { [ECR_HOST]: { profile: 'dev', roleArn: ROLE } },
    });
    expect(identity.route.detail).toBe(
      `${ECR_HOST}: private ECR of account 123456789012 in eu-west-1 (aws), token from ecr:GetAuthorizationToken, as profile "dev" then role ${ROLE}${FROM_FILE}`,
    );
    expect(identity.credentials.detail).toMatch(`role ${ROLE} assumed`);
    const alias = await routed('mirror.example.com/app:1', {
      registries: { 'mirror.example.com': { ecr: 'public.ecr.aws' } },
    });
    expect(alias.route.detail).toBe(
      `mirror.example.com: alias of public.ecr.aws, ECR Public, token from ecr-public:GetAuthorizationToken in us-east-1${FROM_FILE}`,
    );
    expect(alias.token.ok).toBe(true);
  });

  describe('a key with a port: the host and port resolve as get resolves them', () => {
    const cache = { registries: { 'ecr-cache.example.com:5000': { ecr: ECR_HOST } } };

    it.each(['ecr-cache.example.com:5000/app:1', 'https://ecr-cache.example.com:5000/'])(
      '%s is the alias, and its registry is asked on that port',
      async (subject) => {
        const world = healthyWorld();
        world.configFile = cache;
        const { by, trace } = await doctorIn(world, subject);
        expect(by['route']).toMatchObject({
          ok: true,
          detail: expect.stringMatching(
            /^ecr-cache\.example\.com:5000: alias of 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com, private ECR/,
          ),
        });
        expect(by['authorization-token'].ok).toBe(true);
        expect(by['registry']).toMatchObject({
          ok: true,
          detail:
            'GET https://ecr-cache.example.com:5000/v2/ with the token: HTTP 200 (basic auth)',
        });
        expect(trace.urls[0]).toBe('https://ecr-cache.example.com:5000/v2/');
      },
    );

    it('the host on another port is not that alias', async () => {
      const { route } = await routed('ecr-cache.example.com:5001/app:1', cache);
      expect(route.detail).toBe(
        `ecr-cache.example.com:5001: delegated to the built-in file store${FROM_FILE}`,
      );
    });
  });

  describe('a Secrets Manager route: the secret is read, and its login used', () => {
    const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:gh-login-AbCdEf';
    const basic = `Basic ${Buffer.from(`${SECRET_USER}:${SECRET_PASSWORD}`).toString('base64')}`;

    /** A world whose ghcr.io takes the secret's login only. */
    function secretWorld(entry: Record<string, unknown>): DoctorWorld {
      const world = healthyWorld();
      world.dockerConfig = JSON.stringify({ credHelpers: { 'ghcr.io': 'ecr-ts' } });
      world.configFile = { registries: { 'ghcr.io': entry } };
      world.registry = async (_url, headers) =>
        headers['authorization'] === basic
          ? answer(200, '{}', { 'docker-content-digest': `sha256:${'b'.repeat(64)}` })
          : answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad login' }] });
      return world;
    }

    it('reads it in its region with the route identity, and the registry takes the login', async () => {
      const world = secretWorld({ secretsManager: ARN });
      const { report, by, trace } = await doctorIn(world, 'ghcr.io/org/app:1');
      expect(by['route']).toMatchObject({
        ok: true,
        detail: `ghcr.io: user name and password from Secrets Manager secret ${ARN}${FROM_FILE}`,
      });
      expect(by['authorization-token']).toEqual({
        name: 'authorization-token',
        ok: true,
        detail: `secretsmanager:GetSecretValue of ${JSON.stringify(ARN)} at https://secretsmanager.eu-central-1.amazonaws.com answered a login for user "robot$ci"`,
      });
      expect(by['registry']).toMatchObject({
        ok: true,
        detail: 'GET https://ghcr.io/v2/ with the login: HTTP 200 (basic auth)',
      });
      expect(by['image']).toMatchObject({ ok: true });
      expect(report.ok).toBe(true);
      expect(trace.secretReads.map((read) => read.secretId)).toEqual([ARN]);
      expect(trace.regions).toEqual([
        'credentials eu-central-1',
        'caller-identity eu-central-1',
        'secret eu-central-1',
      ]);
      expect(renderJson(report)).not.toContain(SECRET_PASSWORD);
    });

    it('a name takes the route region, else the environment, else the profile, as get does', async () => {
      const regionOf = async (entry: Record<string, unknown>, env: Record<string, string> = {}) => {
        const world = secretWorld(entry);
        Object.assign(world.env, env);
        world.profileRegion = async (profile) => (profile === 'dev' ? 'ap-south-1' : undefined);
        const { trace } = await doctorIn(world, 'ghcr.io/org/app:1');
        return trace.regions;
      };
      expect(await regionOf({ secretsManager: 'gh-login', region: 'us-west-2' })).toContain(
        'secret us-west-2',
      );
      expect(await regionOf({ secretsManager: 'gh-login' }, { AWS_REGION: 'sa-east-1' })).toEqual([
        'credentials sa-east-1',
        'caller-identity sa-east-1',
        'secret sa-east-1',
      ]);
      expect(await regionOf({ secretsManager: 'gh-login', profile: 'dev' })).toContain(
        'secret ap-south-1',
      );
    });

    it('no region for a name: aws-credentials fails as get would, and nothing is read', async () => {
      const world = secretWorld({ secretsManager: 'gh-login' });
      const { by, trace } = await doctorIn(world, 'ghcr.io/org/app:1');
      expect(by['aws-credentials']).toMatchObject({
        ok: false,
        detail: expect.stringContaining('no region for the Secrets Manager secret "gh-login"'),
      });
      expect(by['authorization-token'].ok).toBeNull();
      expect(trace.secretReads).toEqual([]);
    });

    it('a missing secret fails, naming it; the registry checks are skipped', async () => {
      const world = secretWorld({ secretsManager: ARN });
      world.secret = async () => {
        throw sdkError({
          name: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
          status: 400,
        });
      };
      const { report, by } = await doctorIn(world, 'ghcr.io/org/app:1');
      expect(by['authorization-token']).toMatchObject({
        ok: false,
        detail: expect.stringContaining(`Secrets Manager secret ${JSON.stringify(ARN)}`),
        hint: expect.stringContaining('secretsManager'),
      });
      expect(by['authorization-token'].detail).toContain('ResourceNotFoundException');
      expect(by['registry']).toMatchObject({
        ok: null,
        detail: 'needs a login (see authorization-token)',
      });
      expect(by['image'].ok).toBeNull();
      expect(report.ok).toBe(false);
    });

    it('a secret that holds no login fails without quoting it', async () => {
      const world = secretWorld({ secretsManager: ARN });
      world.secret = async () => `{"user":"${SECRET_USER}","pass":"${SECRET_PASSWORD}"}`;
      const { report, by } = await doctorIn(world, 'ghcr.io/org/app:1');
      expect(by['authorization-token']).toMatchObject({
        ok: false,
        detail: expect.stringContaining('has no "username" string'),
      });
      expect(renderJson(report)).not.toContain(SECRET_PASSWORD);
    });

    it('a refused login fails the registry check, with a hint about the secret', async () => {
      const world = secretWorld({ secretsManager: ARN });
      world.secret = async () => JSON.stringify({ username: SECRET_USER, password: PASSWORD });
      const { by } = await doctorIn(world, 'ghcr.io/org/app:1');
      expect(by['registry']).toMatchObject({
        ok: false,
        detail: 'GET https://ghcr.io/v2/ refused the login: HTTP 401 (UNAUTHORIZED: bad login)',
        hint: expect.stringContaining(ARN),
      });
    });

    it("never prints the login's Basic value, whole or cut, when the registry quotes it", async () => {
      const world = secretWorld({ secretsManager: ARN });
      const sent = Buffer.from(`${SECRET_USER}:${SECRET_PASSWORD}`).toString('base64');
      world.registry = async () =>
        answer(401, {
          errors: [
            { code: 'UNAUTHORIZED', message: `${'x'.repeat(285)} Basic ${sent}` },
            { code: 'UNAUTHORIZED', message: `got Basic ${sent.slice(0, 17)}` },
          ],
        });
      const { report, by } = await doctorIn(world, 'ghcr.io/org/app:1');
      expect(by['registry'].detail).toContain('got Basic ***');
      const printed = renderJson(report);
      for (const secret of [sent, SECRET_PASSWORD]) {
        for (let i = 0; i + 8 <= secret.length; i += 1) {
          expect(printed).not.toContain(secret.slice(i, i + 8));
        }
      }
    });
  });

  it('a helper route names where the helper is on PATH', async () => {
    const world = healthyWorld();
    world.configFile = { registries: { 'ghcr.io': { helper: 'pass' } } };
    world.path['docker-credential-pass'] = '/usr/bin/docker-credential-pass';
    const { by } = await doctorIn(world, 'ghcr.io/org/app');
    expect(by['route']).toEqual({
      name: 'route',
      ok: true,
      detail: `ghcr.io: delegated to docker-credential-pass (/usr/bin/docker-credential-pass)${FROM_FILE}`,
    });
  });

  it.each([
    [{ registries: { 'ghcr.io': { helper: 'doesnotexist' } } }],
    [{ fallback: 'doesnotexist' }],
  ])('a route or fallback to a helper missing from PATH fails, as get does (%j)', async (file) => {
    const { route, credentials } = await routed('ghcr.io/org/app', file);
    expect(route).toEqual({
      name: 'route',
      ok: false,
      detail: `ghcr.io: delegated to docker-credential-doesnotexist, which is not on PATH: get fails${FROM_FILE}`,
      hint: 'Install docker-credential-doesnotexist into a folder on PATH, or change the route or "fallback" that names "doesnotexist" in the config file.',
    });
    expect(credentials.ok).toBeNull();
  });

  it.each([
    [{ 'ghcr.io': { anonymous: true } }, 'ghcr.io: anonymous (not-found at once)'],
    [{}, 'ghcr.io: delegated to the built-in file store'],
  ])('routes that make no AWS call (%j) skip the AWS checks', async (registries, detail) => {
    const { route, credentials, token } = await routed('ghcr.io/org/app', { registries });
    expect(route).toEqual({ name: 'route', ok: true, detail: `${detail}${FROM_FILE}` });
    for (const skipped of [credentials, token]) {
      expect(skipped).toMatchObject({
        ok: null,
        detail: 'not needed: this route makes no AWS call',
      });
    }
  });

  it('fails a host that is no ECR host where nothing is kept for others, saying what one looks like', async () => {
    const { route } = await routed('ghcr.io/org/app', { fallback: 'none' });
    expect(route).toEqual({
      name: 'route',
      ok: false,
      detail: `ghcr.io is not an ECR host: get answers not-found and docker pulls anonymously${FROM_FILE}`,
      hint: 'Check the host (a private ECR host is <12-digit account>.dkr.ecr.<region>.amazonaws.com).',
    });
  });

  it('fails with the config error when the file routes the host wrongly, and skips the AWS checks', async () => {
    const { route, credentials } = await routed('api.ecr.us-east-1.amazonaws.com', {
      registries: { '*.ecr.*.amazonaws.com': { profile: 'x' } },
    });
    expect(route).toMatchObject({
      ok: false,
      detail: expect.stringMatching(
        /^\/c\/config\.json: registries\["\*\.ecr\.\*\.amazonaws\.com"\] gives an AWS identity, which applies to ECR hosts only/,
      ),
    });
    expect(credentials).toMatchObject({ ok: null, detail: 'needs a route (see route)' });
  });
});
