import { doctorIn, ECR_HOST, healthyWorld, IMAGE } from '../../../support/fake-doctor';

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

  it('a Secrets Manager route needs credentials but no ECR token', async () => {
    const { route, credentials, token } = await routed('ghcr.io/org/app', {
      registries: { 'ghcr.io': { secretsManager: 'gh-login' } },
    });
    expect(route).toMatchObject({
      ok: true,
      detail: `ghcr.io: user name and password from Secrets Manager secret gh-login${FROM_FILE}`,
    });
    expect(credentials.ok).toBe(true);
    expect(token).toMatchObject({ ok: null, detail: 'this route needs no ECR token' });
  });

  it.each([
    [{ 'ghcr.io': { anonymous: true } }, 'ghcr.io: anonymous (not-found at once)'],
    [{ 'ghcr.io': { helper: 'pass' } }, 'ghcr.io: delegated to docker-credential-pass'],
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
