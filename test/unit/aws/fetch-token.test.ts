import type {
  AssumeRoleOptions,
  AssumeRoleWithWebIdentityOptions,
  AuthorizationData,
  AwsSdk,
  ResolveCredentialsOptions,
  GetAuthorizationTokenOptions,
} from '../../../src/aws/aws-sdk';
import { fetchToken } from '../../../src/aws/fetch-token';
import type { TokenRequest } from '../../../src/aws/token';
import { isHelperError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import { parseRegistry, type Registry } from '../../../src/registry/parse-registry';
import type { AwsIdentity } from '../../../src/aws/aws-identity';

const PRIVATE = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const FIPS_DUAL = '123456789012.dkr-ecr-fips.us-west-2.on.aws';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const ROLE_CREDENTIALS = {
  accessKeyId: 'ASIAROLE',
  secretAccessKey: 'role-secret',
  sessionToken: 'role-token',
};
const TOKEN = Buffer.from('AWS:the-password').toString('base64');

type Call = GetAuthorizationTokenOptions;

/** A hand-written AwsSdk: records calls, answers what the test says. */
function fakeSdk(answers: {
  credentials?: () => Promise<typeof CREDENTIALS>;
  token?: (call: Call) => Promise<AuthorizationData | undefined>;
  assume?: (options: AssumeRoleOptions) => Promise<typeof ROLE_CREDENTIALS>;
  webIdentity?: (options: AssumeRoleWithWebIdentityOptions) => Promise<typeof ROLE_CREDENTIALS>;
}) {
  const chains: ResolveCredentialsOptions[] = [];
  const calls: Call[] = [];
  const roles: AssumeRoleOptions[] = [];
  const webRoles: AssumeRoleWithWebIdentityOptions[] = [];
  const sdk: AwsSdk = {
    async assumeRoleWithWebIdentity(options) {
      webRoles.push(options);
      options.onRequest('https://sts.us-west-2.amazonaws.com');
      return (answers.webIdentity ?? (async () => ROLE_CREDENTIALS))(options);
    },
    async assumeRole(options) {
      roles.push(options);
      options.onRequest('https://sts.us-west-2.amazonaws.com');
      return (answers.assume ?? (async () => ROLE_CREDENTIALS))(options);
    },
    async getSecretString() {
      throw new Error('not expected');
    },
    async resolveRegion() {
      throw new Error('not expected');
    },
    async resolveCredentials(options) {
      chains.push(options);
      return (answers.credentials ?? (async () => CREDENTIALS))();
    },
    async getAuthorizationToken(options) {
      calls.push(options);
      options.onRequest('https://api.ecr.us-west-2.amazonaws.com');
      return (answers.token ?? (async () => ({ authorizationToken: TOKEN })))(options);
    },
    async getCallerIdentity() {
      throw new Error('fetchToken() never asks who the caller is');
    },
  };
  return { sdk, chains, calls, roles, webRoles, load: async () => sdk };
}

function request(
  host: string,
  env: Record<string, string> = {},
  identity: AwsIdentity = {},
  extra: Partial<TokenRequest> = {},
): TokenRequest {
  const registry = parseRegistry(host) as Exclude<Registry, { kind: 'other' }>;
  return {
    registry,
    identity,
    env,
    logger: silentLogger,
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    progress: { step: 'starting' },
    ...extra,
  };
}

const throttled = async (): Promise<never> => {
  throw Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400, attempts: 1 },
  });
};

const noCredentials = async (): Promise<never> => {
  throw Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
  });
};

describe('fetchToken() over the AwsSdk interface', () => {
  it('asks ECR of the registry region with the chain credentials and decodes the token', async () => {
    const fake = fakeSdk({});
    const token = await fetchToken(request(PRIVATE), fake.load);
    expect(token).toMatchObject({ username: 'AWS', password: 'the-password' });
    expect(fake.chains.map((chain) => chain.region)).toEqual(['us-west-2']);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({
      service: 'ecr',
      region: 'us-west-2',
      credentials: CREDENTIALS,
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
    });
  });

  it('selects FIPS and dual-stack endpoints from the host, unless an endpoint override decides', async () => {
    const plain = fakeSdk({});
    await fetchToken(request(FIPS_DUAL), plain.load);
    expect(plain.calls[0]).toMatchObject({ useFipsEndpoint: true, useDualstackEndpoint: true });
    const overridden = fakeSdk({});
    await fetchToken(
      request(FIPS_DUAL, { AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9' }),
      overridden.load,
    );
    expect(overridden.calls[0]).toMatchObject({
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
    });
  });

  it('asks ECR Public in us-east-1, and answers not-found when no credentials exist at all', async () => {
    const fake = fakeSdk({ credentials: noCredentials });
    const failure = await fetchToken(request('public.ecr.aws'), fake.load).catch((e) => e);
    expect(isHelperError(failure, 'NOT_FOUND')).toBe(true);
    expect(fake.chains[0]?.region).toBe('us-east-1');
    expect(fake.calls).toHaveLength(0);
  });

  it('fails private ECR without credentials with the sources it tried', async () => {
    const failure = await fetchToken(
      request(PRIVATE, { AWS_EC2_METADATA_DISABLED: 'true' }),
      fakeSdk({ credentials: noCredentials }).load,
    ).catch((e) => e);
    expect(isHelperError(failure, 'NO_AWS_CREDENTIALS')).toBe(true);
    expect(failure.message).toContain('ecr:GetAuthorizationToken');
  });

  it('names the endpoint the failing request went to', async () => {
    const denied = fakeSdk({
      token: async () => {
        throw Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized'), {
          name: 'AccessDeniedException',
        });
      },
    });
    const failure = await fetchToken(request(PRIVATE), denied.load).catch((e) => e);
    expect(isHelperError(failure, 'ACCESS_DENIED')).toBe(true);
    expect(failure.message).toContain('at https://api.ecr.us-west-2.amazonaws.com');
  });

  it('reads a bad AWS_CA_BUNDLE as a CONFIG error before loading the SDK', async () => {
    let loaded = false;
    const failure = await fetchToken(
      request(PRIVATE, { AWS_CA_BUNDLE: '/nonexistent/ca.pem' }),
      async () => {
        loaded = true;
        return fakeSdk({}).sdk;
      },
    ).catch((e) => e);
    expect(isHelperError(failure, 'CONFIG')).toBe(true);
    expect(loaded).toBe(false);
  });

  it('a route profile selects the profile for the chain', async () => {
    const fake = fakeSdk({});
    await fetchToken(request(PRIVATE, {}, { profile: 'prod' }), fake.load);
    expect(fake.chains[0]).toMatchObject({ profile: 'prod', region: 'us-west-2' });
    expect(fake.roles).toHaveLength(0);
    expect(fake.calls[0]?.credentials).toBe(CREDENTIALS);
  });

  it('a route role is assumed with the base credentials in the registry region, then signs ECR', async () => {
    const fake = fakeSdk({});
    const roleArn = 'arn:aws:iam::210987654321:role/puller';
    await fetchToken(
      request(PRIVATE, {}, { roleArn, externalId: 'x1', sessionName: 'ci' }),
      fake.load,
    );
    expect(fake.roles).toHaveLength(1);
    expect(fake.roles[0]).toMatchObject({
      roleArn,
      externalId: 'x1',
      sessionName: 'ci',
      region: 'us-west-2',
      credentials: CREDENTIALS,
    });
    expect(fake.calls[0]?.credentials).toBe(ROLE_CREDENTIALS);
    // Without a session name the product's name is used (CloudTrail shows who assumed the role).
    const unnamed = fakeSdk({});
    await fetchToken(request('public.ecr.aws', {}, { roleArn }), unnamed.load);
    expect(unnamed.roles[0]).toMatchObject({
      sessionName: 'docker-credential-ecr-ts',
      region: 'us-east-1',
    });
    expect(unnamed.roles[0]).not.toHaveProperty('externalId');
  });

  it("a FIPS registry's role is assumed at STS's FIPS endpoint, unless an STS override decides", async () => {
    const roleArn = 'arn:aws:iam::210987654321:role/puller';
    const fips = fakeSdk({});
    await fetchToken(request(FIPS_DUAL, {}, { roleArn }), fips.load);
    expect(fips.roles[0]).toMatchObject({ useFipsEndpoint: true });
    expect(fips.roles[0]?.useDualstackEndpoint).toBeFalsy();
    const plain = fakeSdk({});
    await fetchToken(request(PRIVATE, {}, { roleArn }), plain.load);
    expect(plain.roles[0]).toMatchObject({ useFipsEndpoint: false });
    const overridden = fakeSdk({});
    await fetchToken(
      request(FIPS_DUAL, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' }, { roleArn }),
      overridden.load,
    );
    expect(overridden.roles[0]).toMatchObject({ useFipsEndpoint: false });
  });

  it('a refused AssumeRole names the role and the STS endpoint, and no token is asked for', async () => {
    const fake = fakeSdk({
      assume: async () => {
        throw Object.assign(new Error('User: x is not authorized to perform: sts:AssumeRole'), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        });
      },
    });
    const roleArn = 'arn:aws:iam::210987654321:role/puller';
    const failure = await fetchToken(request(PRIVATE, {}, { roleArn }), fake.load).catch((e) => e);
    expect(isHelperError(failure, 'ACCESS_DENIED')).toBe(true);
    expect(failure.message).toContain(
      `sts:AssumeRole of ${roleArn} at https://sts.us-west-2.amazonaws.com`,
    );
    expect(fake.calls).toHaveLength(0);
  });

  it('waits out a throttled answer', async () => {
    let answered = 0;
    const fake = fakeSdk({
      token: async () => (answered++ === 0 ? throttled() : { authorizationToken: TOKEN }),
    });
    // A short bound keeps the random pause short.
    const token = await fetchToken(
      request(PRIVATE, {}, {}, { deadline: Date.now() + 1500 }),
      fake.load,
    );
    expect(token.password).toBe('the-password');
    expect(fake.calls).toHaveLength(2);
  });

  it('throttled until the bound: THROTTLED naming the bucket, the region and the tries', async () => {
    const fake = fakeSdk({ token: throttled });
    const failure = await fetchToken(
      request(PRIVATE, {}, {}, { deadline: Date.now() + 700 }),
      fake.load,
    ).catch((e) => e);
    expect(isHelperError(failure, 'THROTTLED')).toBe(true);
    expect(failure.message).toMatch(
      /^ecr:GetAuthorizationToken was throttled at https:\/\/api\.ecr\.us-west-2\.amazonaws\.com on 2 attempts over \d+\.\d s \(ThrottlingException: Rate exceeded\): the calling AWS account's GetAuthorizationToken bucket in us-west-2 /,
    );
    expect(fake.calls).toHaveLength(2);
  });

  it('with a usable token to fall back on, a throttled answer fails at once', async () => {
    const fake = fakeSdk({ token: throttled });
    const failure = await fetchToken(
      request(PRIVATE, {}, {}, { hasFallback: true }),
      fake.load,
    ).catch((e) => e);
    expect(isHelperError(failure, 'THROTTLED')).toBe(true);
    expect(fake.calls).toHaveLength(1);
  });

  describe('with a service-account token (kubelet)', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/app-puller';
    const webIdentity = { token: 'eyJ.sa-token.sig', subject: 'system:serviceaccount:ns:app' };

    it('assumes the role with the token at STS of the registry region, with no base credentials', async () => {
      const fake = fakeSdk({});
      await fetchToken(request(PRIVATE, {}, { roleArn, webIdentity }), fake.load);
      expect(fake.chains).toHaveLength(0);
      expect(fake.roles).toHaveLength(0);
      expect(fake.webRoles).toHaveLength(1);
      expect(fake.webRoles[0]).toMatchObject({
        region: 'us-west-2',
        roleArn,
        webIdentityToken: webIdentity.token,
        sessionName: 'docker-credential-ecr-ts',
        useFipsEndpoint: false,
      });
      expect(fake.calls[0]?.credentials).toEqual(ROLE_CREDENTIALS);
    });

    it('a refused AssumeRoleWithWebIdentity names the role and STS, never the token', async () => {
      const fake = fakeSdk({
        webIdentity: async () => {
          throw Object.assign(
            new Error('Not authorized to perform sts:AssumeRoleWithWebIdentity'),
            {
              name: 'AccessDenied',
              $metadata: { httpStatusCode: 403 },
            },
          );
        },
      });
      const failure = await fetchToken(
        request(PRIVATE, {}, { roleArn, webIdentity }),
        fake.load,
      ).catch((e) => e);
      expect(isHelperError(failure, 'ACCESS_DENIED')).toBe(true);
      expect(failure.message).toContain(`sts:AssumeRoleWithWebIdentity of ${roleArn}`);
      expect(failure.message).toContain('https://sts.us-west-2.amazonaws.com');
      expect(failure.message).not.toContain(webIdentity.token);
      expect(fake.calls).toHaveLength(0);
    });
  });
});
