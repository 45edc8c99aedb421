import type { AwsSdk, ResolveCredentialsOptions } from '../../../src/aws/aws-sdk';
import type { AwsIdentity } from '../../../src/aws/aws-identity';
import { describeCredentialFailure } from '../../../src/aws/describe-error';
import { resolveRouteCredentials, routeCredentials } from '../../../src/aws/route-credentials';
import { isHelperError } from '../../../src/errors';
import { silentLogger } from '../../../src/log';

const BASE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'base-secret' };
const ROLE = { accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 't' };
const ROLE_ARN = 'arn:aws:iam::210987654321:role/puller';

/** A hand-written AwsSdk whose chain logs `lines` and then answers (or throws). */
function fakeSdk(chain: { lines?: string[]; fail?: Error }): AwsSdk & { chains: string[] } {
  const chains: string[] = [];
  const unexpected = async (): Promise<never> => {
    throw new Error('not expected');
  };
  return {
    chains,
    async resolveCredentials(options: ResolveCredentialsOptions) {
      chains.push(options.profile ?? '(chain)');
      for (const line of chain.lines ?? []) options.observe(line);
      if (chain.fail) throw chain.fail;
      return BASE;
    },
    async assumeRole(options) {
      options.onRequest('https://sts.us-west-2.amazonaws.com');
      return ROLE;
    },
    async assumeRoleWithWebIdentity(options) {
      options.onRequest('https://sts.us-west-2.amazonaws.com');
      return ROLE;
    },
    getAuthorizationToken: unexpected,
    getSecretString: unexpected,
    resolveRegion: unexpected,
    getCallerIdentity: unexpected,
  };
}

function options(
  sdk: AwsSdk,
  identity: AwsIdentity = {},
  env: Record<string, string> = {},
): Parameters<typeof resolveRouteCredentials>[0] {
  return {
    sdk,
    call: {
      env,
      logger: silentLogger,
      signal: new AbortController().signal,
      deadline: Date.now() + 10_000,
      progress: { step: 'starting' },
    },
    identity,
    region: 'us-west-2',
    fips: false,
    choice: { agents: {}, via: () => '', destroy: () => undefined },
    action: 'ecr:GetAuthorizationToken',
  };
}

const ENV_KEYS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' };
const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
  name: 'CredentialsProviderError',
});

describe('resolveRouteCredentials()', () => {
  it('names the source that answered: the chain source it reached, else the chain', async () => {
    const watched = fakeSdk({
      lines: ['@aws-sdk/credential-provider-node - defaultProvider::fromEnv'],
    });
    expect(await resolveRouteCredentials(options(watched, {}, ENV_KEYS))).toMatchObject({
      credentials: BASE,
      base: BASE,
      source: 'environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
    });
    expect(await resolveRouteCredentials(options(fakeSdk({})))).toMatchObject({
      source: 'the default credential chain',
    });
  });

  it('asks the route profile instead of the chain, and names it', async () => {
    const sdk = fakeSdk({});
    expect(await resolveRouteCredentials(options(sdk, { profile: 'dev' }))).toMatchObject({
      source: 'profile "dev"',
    });
    expect(sdk.chains).toEqual(['dev']);
  });

  it('assumes the route role with the base credentials and says where', async () => {
    const resolved = await resolveRouteCredentials(options(fakeSdk({}), { roleArn: ROLE_ARN }));
    expect(resolved).toMatchObject({
      credentials: ROLE,
      base: BASE,
      stsEndpoint: 'https://sts.us-west-2.amazonaws.com',
    });
  });

  it('with a service-account token assumes the role with it alone: no chain, no base credentials', async () => {
    const sdk = fakeSdk({ fail: noCredentials });
    const webIdentity = { token: 'eyJ.sa-token.sig', subject: 'system:serviceaccount:ns:app' };
    const resolved = await resolveRouteCredentials(
      options(sdk, { roleArn: ROLE_ARN, webIdentity }),
    );
    expect(resolved).toMatchObject({
      credentials: ROLE,
      source: "the pod's service-account token",
      stsEndpoint: 'https://sts.us-west-2.amazonaws.com',
    });
    expect(sdk.chains).toEqual([]);
  });

  it('hands a failure of the chain back with where it happened, instead of throwing', async () => {
    const sdk = fakeSdk({ fail: noCredentials });
    const resolved = await resolveRouteCredentials(options(sdk, { profile: 'dev' }));
    if (!('error' in resolved)) throw new Error('expected a failure');
    expect(resolved.error).toBe(noCredentials);
    expect(resolved.context).toMatchObject({
      action: 'ecr:GetAuthorizationToken',
      region: 'us-west-2',
      source: 'profile "dev"',
    });
    expect(describeCredentialFailure(resolved.error, resolved.context).code).toBe(
      'NO_AWS_CREDENTIALS',
    );
  });
});

describe('routeCredentials()', () => {
  it('throws one line naming the action when there are no credentials', async () => {
    const failure = await routeCredentials({
      ...options(fakeSdk({ fail: noCredentials }), {}, { AWS_EC2_METADATA_DISABLED: 'true' }),
      anonymousWithoutCredentials: false,
    }).catch((error: unknown) => error);
    expect(isHelperError(failure, 'NO_AWS_CREDENTIALS')).toBe(true);
    expect((failure as Error).message).toContain('ecr:GetAuthorizationToken');
  });

  it('answers not-found instead where anonymous pulls work', async () => {
    const failure = await routeCredentials({
      ...options(fakeSdk({ fail: noCredentials })),
      anonymousWithoutCredentials: true,
    }).catch((error: unknown) => error);
    expect(isHelperError(failure, 'NOT_FOUND')).toBe(true);
  });
});
