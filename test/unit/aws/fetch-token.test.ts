import type {
  AuthorizationData,
  AwsSdk,
  ResolveCredentialsOptions,
  ServiceCallOptions,
  EcrService,
} from '../../../src/aws/aws-sdk';
import { fetchToken } from '../../../src/aws/fetch-token';
import type { TokenRequest } from '../../../src/aws/token';
import { isHelperError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import { parseRegistry, type Registry } from '../../../src/registry/parse-registry';

const PRIVATE = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
const FIPS_DUAL = '123456789012.dkr-ecr-fips.us-west-2.on.aws';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const TOKEN = Buffer.from('AWS:the-password').toString('base64');

type Call = ServiceCallOptions & { readonly service: EcrService };

/** A hand-written AwsSdk: records calls, answers what the test says. */
function fakeSdk(answers: {
  credentials?: () => Promise<typeof CREDENTIALS>;
  token?: (call: Call) => Promise<AuthorizationData | undefined>;
}) {
  const chains: ResolveCredentialsOptions[] = [];
  const calls: Call[] = [];
  const sdk: AwsSdk = {
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
  return { sdk, chains, calls, load: async () => sdk };
}

function request(host: string, env: Record<string, string> = {}): TokenRequest {
  const registry = parseRegistry(host) as Exclude<Registry, { kind: 'other' }>;
  return {
    registry,
    env,
    logger: silentLogger,
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    progress: { step: 'starting' },
  };
}

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
});
