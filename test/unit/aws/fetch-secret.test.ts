import type { AwsSdk, GetSecretOptions } from '../../../src/aws/aws-sdk';
import { fetchSecret } from '../../../src/aws/fetch-secret';
import type { SecretRequest } from '../../../src/aws/token';
import { isHelperError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/** A hand-written AwsSdk answering one secret string; records the calls. */
function fakeSdk(secret: string | undefined, configuredRegion?: string) {
  const reads: GetSecretOptions[] = [];
  const regionAsks: { profile?: string }[] = [];
  const sdk: AwsSdk = {
    resolveCredentials: async () => CREDENTIALS,
    getAuthorizationToken: async () => {
      throw new Error('not expected');
    },
    assumeRole: async () => {
      throw new Error('not expected');
    },
    assumeRoleWithWebIdentity: async () => {
      throw new Error('not expected');
    },
    getCallerIdentity: async () => {
      throw new Error('not expected');
    },
    getSecretString: async (options) => {
      reads.push(options);
      return secret;
    },
    resolveRegion: async (options) => {
      regionAsks.push(options);
      return configuredRegion;
    },
  };
  return { reads, regionAsks, load: async () => sdk };
}

function request(fields: Partial<SecretRequest>, env: Record<string, string> = {}) {
  return {
    host: 'ghcr.io',
    secretId: 'ghcr-login',
    identity: {},
    cacheSeconds: 900,
    ...fields,
    env,
    logger: silentLogger,
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    progress: { step: '' },
  };
}

const LOGIN = JSON.stringify({ username: 'robot', password: 'pw' });

describe('fetchSecret()', () => {
  it('reads the login, valid for cacheSeconds', async () => {
    const fake = fakeSdk(LOGIN);
    const token = await fetchSecret(
      request({}, { AWS_REGION: 'eu-north-1' }),
      fake.load,
      () => 1000,
    );
    expect(token).toEqual({ username: 'robot', password: 'pw', expiresAt: 1000 + 900_000 });
    expect(fake.reads[0]).toMatchObject({ secretId: 'ghcr-login', credentials: CREDENTIALS });
  });

  it('takes the region from the ARN, else the route, else AWS_REGION, else the AWS config', async () => {
    const arn = 'arn:aws:secretsmanager:ap-south-1:123456789012:secret:x-AbC';
    const cases: [Partial<SecretRequest>, Record<string, string>, string][] = [
      [{ secretId: arn, region: 'eu-west-1' }, { AWS_REGION: 'us-east-2' }, 'ap-south-1'],
      [{ region: 'eu-west-1' }, { AWS_REGION: 'us-east-2' }, 'eu-west-1'],
      [{}, { AWS_REGION: 'us-east-2' }, 'us-east-2'],
      [{}, { AWS_DEFAULT_REGION: 'us-west-1' }, 'us-west-1'],
      [{ identity: { profile: 'p' } }, {}, 'ca-central-1'],
    ];
    for (const [fields, env, region] of cases) {
      const fake = fakeSdk(LOGIN, 'ca-central-1');
      await fetchSecret(request(fields, env), fake.load);
      expect(fake.reads[0]?.region).toBe(region);
    }
    const asked = fakeSdk(LOGIN, 'ca-central-1');
    await fetchSecret(request({ identity: { profile: 'p' } }), asked.load);
    expect(asked.regionAsks).toEqual([{ profile: 'p' }]);
  });

  it('without any region it says where to set one', async () => {
    const failure = await fetchSecret(request({}), fakeSdk(LOGIN).load).catch((e) => e);
    expect(isHelperError(failure, 'CONFIG')).toBe(true);
    expect(failure.message).toMatch(/no region for the Secrets Manager secret "ghcr-login"/);
  });
});
