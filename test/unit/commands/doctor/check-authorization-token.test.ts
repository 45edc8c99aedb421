import type { CacheState } from '../../../../src/cache/cache-state';
import {
  doctorIn,
  healthyWorld,
  IMAGE,
  NOW,
  PASSWORD,
  sdkError,
  type DoctorWorld,
} from '../../../support/fake-doctor';

async function authorizationToken(change: (world: DoctorWorld) => void, subject = IMAGE) {
  const world = healthyWorld();
  change(world);
  return (await doctorIn(world, subject)).by;
}

const HOUR = 3600_000;

describe('authorization-token', () => {
  it.each<[CacheState, string]>([
    [{ state: 'none' }, 'no entry'],
    [{ state: 'none', problem: 'not owned by you' }, 'no usable entry (not owned by you)'],
    [{ state: 'disabled' }, 'disabled (AWS_ECR_DISABLE_CACHE or ECR_TS_DISABLE_CACHE)'],
    [{ state: 'fresh', until: NOW + 2 * HOUR }, 'fresh until 2026-06-01T14:00:00.000Z (2 h)'],
    [
      { state: 'stale', until: NOW + HOUR },
      'stale (refreshed on the next get; usable until 2026-06-01T13:00:00.000Z)',
    ],
    [{ state: 'expired', until: NOW - HOUR }, 'expired (replaced on the next get)'],
  ])(
    'passes with where it asked, until when the token holds, and the cache: %j',
    async (cache, said) => {
      const by = await authorizationToken((world) => (world.cache = cache));
      expect(by['authorization-token']).toEqual({
        name: 'authorization-token',
        ok: true,
        detail: `ecr:GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com answered in 0 s; token valid until 2026-06-02T00:00:00.000Z; cache: ${said}`,
      });
    },
  );

  it('fails a denied call naming the permission, and that the pull needs two more', async () => {
    const by = await authorizationToken((world) => {
      world.token = async () => {
        throw sdkError({ name: 'AccessDeniedException', message: 'not authorized', status: 400 });
      };
    });
    expect(by['authorization-token']).toEqual({
      name: 'authorization-token',
      ok: false,
      detail:
        'access denied calling ecr:GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com (not authorized); cache: no entry',
      hint: 'Grant ecr:GetAuthorizationToken to that principal in IAM. This is the first of the two places ECR checks permissions (the token); the pull itself needs ecr:BatchGetImage and ecr:GetDownloadUrlForLayer.',
    });
    expect(by['registry']).toMatchObject({
      ok: null,
      detail: 'needs a token (see authorization-token)',
    });
    expect(by['image']).toMatchObject({
      ok: null,
      detail: 'needs a token (see authorization-token)',
    });
  });

  it('fails an answer without a token, and shows a throttled call as throttling, tried once', async () => {
    const empty = await authorizationToken((world) => (world.token = async () => undefined));
    expect(empty['authorization-token']).toEqual({
      name: 'authorization-token',
      ok: false,
      detail: 'GetAuthorizationToken returned no authorization data; cache: no entry',
    });
    let calls = 0;
    const throttled = await authorizationToken((world) => {
      world.token = async () => {
        calls += 1;
        throw sdkError({ name: 'ThrottlingException', message: 'Rate exceeded', status: 400 });
      };
    });
    // One attempt: doctor must not add to a crowd that is already over the account's limit.
    expect(calls).toBe(1);
    const finding = throttled['authorization-token'];
    expect(finding).toMatchObject({ ok: false });
    expect(finding?.detail).toMatch(/was throttled .*bucket in .* is empty.*; cache: no entry$/);
    // What get does about it, and what the user can do.
    expect(finding?.hint).toMatch(/stagger their start, or raise ECR_TS_TIMEOUT/);
    expect(finding?.hint).toMatch(/`get` itself waits for the refill until ECR_TS_TIMEOUT/);
  });

  it('masks the token it got in every finding', async () => {
    const by = await authorizationToken((world) => {
      world.registry = async () => ({
        status: 418,
        headers: {},
        body: JSON.stringify({ errors: [{ code: 'T', message: PASSWORD }] }),
      });
    });
    expect(by['registry'].detail).toBe(
      `GET https://${IMAGE.split('/')[0]}/v2/ with the token: HTTP 418 (T: ***)`,
    );
  });

  it('is skipped without a registry and without credentials; a secret route reads its secret', async () => {
    const { by: none } = await doctorIn(healthyWorld());
    expect(none['authorization-token']).toMatchObject({ ok: null, detail: 'no registry named' });
    const secret = await authorizationToken((world) => {
      world.configFile = {
        registries: { 'ghcr.io': { secretsManager: 'gh', region: 'eu-west-1' } },
      };
    }, 'ghcr.io/org/app');
    expect(secret['authorization-token']).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^secretsmanager:GetSecretValue of "gh" at /),
    });
    const without = await authorizationToken((world) => {
      world.credentials = async () => {
        throw sdkError({
          name: 'CredentialsProviderError',
          message: 'Could not load credentials from any providers',
        });
      };
    });
    expect(without['authorization-token']).toMatchObject({
      ok: null,
      detail: 'needs AWS credentials (see aws-credentials)',
    });
  });
});
