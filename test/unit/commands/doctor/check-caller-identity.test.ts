import {
  CALLER,
  doctorIn,
  healthyWorld,
  IMAGE,
  sdkError,
  type DoctorWorld,
} from '../../../support/fake-doctor';

async function callerIdentity(change: (world: DoctorWorld) => void, subject = IMAGE) {
  const world = healthyWorld();
  change(world);
  return (await doctorIn(world, subject)).by;
}

describe('caller-identity', () => {
  it('passes with the account and ARN', async () => {
    const by = await callerIdentity(() => undefined);
    expect(by['caller-identity']).toEqual({
      name: 'caller-identity',
      ok: true,
      detail: `account 123456789012, ${CALLER}`,
    });
  });

  it('says when the registry belongs to another account (its policy must allow the caller)', async () => {
    const by = await callerIdentity((world) => {
      world.callerIdentity = async () => ({
        account: '999999999999',
        arn: 'arn:aws:iam::999999999999:user/x',
      });
    });
    expect(by['caller-identity'].detail).toBe(
      'account 999999999999, arn:aws:iam::999999999999:user/x (the registry belongs to account 123456789012: its repository policy must allow this principal)',
    );
  });

  it.each([
    [sdkError({ name: 'AccessDenied', message: 'denied', status: 403 })],
    [sdkError({ name: 'ExpiredToken', message: 'expired', status: 400 })],
  ])(
    'fails refused credentials (%s) as not valid: that call needs no permission',
    async (error) => {
      const by = await callerIdentity((world) => {
        world.callerIdentity = async () => {
          throw error;
        };
      });
      expect(by['caller-identity']).toMatchObject({
        ok: false,
        detail: expect.stringContaining(
          'sts:GetCallerIdentity at https://sts.eu-west-1.amazonaws.com',
        ),
        hint: 'The credentials are not valid (expired or revoked): refresh them.',
      });
    },
  );

  it('fails an unreachable STS with a network hint', async () => {
    const by = await callerIdentity((world) => {
      world.callerIdentity = async () => {
        throw sdkError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND sts' });
      };
    });
    expect(by['caller-identity']).toMatchObject({
      ok: false,
      hint: 'Check the network, proxy (HTTPS_PROXY/NO_PROXY) and AWS_ENDPOINT_URL_* settings.',
    });
    // Not needed for a token: the next checks still run.
    expect(by['authorization-token'].ok).toBe(true);
  });

  it('is skipped without credentials, and for a route that makes no AWS call', async () => {
    const without = await callerIdentity((world) => {
      world.credentials = async () => {
        throw sdkError({
          name: 'CredentialsProviderError',
          message: 'Could not load credentials from any providers',
        });
      };
    });
    expect(without['caller-identity']).toEqual({
      name: 'caller-identity',
      ok: null,
      detail: 'needs AWS credentials (see aws-credentials)',
    });
    const anonymous = await callerIdentity((world) => {
      world.configFile = { registries: { 'quay.io': { anonymous: true } } };
    }, 'quay.io/org/app');
    expect(anonymous['caller-identity']).toMatchObject({
      ok: null,
      detail: 'not needed: this route makes no AWS call',
    });
  });
});
