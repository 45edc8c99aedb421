import type { ActionContext } from '../../../src/actions/action-context';
import { getCredentialsAction } from '../../../src/actions/get-credentials';
import type { AwsIdentity } from '../../../src/aws/aws-identity';
import type { EcrToken, SecretRequest, TokenSource } from '../../../src/aws/token';
import { parseConfig } from '../../../src/config/parse-config';
import { parseConfigFile } from '../../../src/config/parse-config-file';
import { isHelperError, notFound } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import type { EcrRegistry } from '../../../src/registry/parse-registry';
import { createRoutes } from '../../../src/routing/routes';
import type { CredentialStore, StoreName } from '../../../src/stores/credential-store';
import { decodeProviderResponse, keyringLookup } from '../../support/kubelet';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const NOW = 1_800_000_000_000;
const ROLE = 'arn:aws:iam::123456789012:role/app-puller';

/** Answers tokens that expire in 12 h with a refresh point 4 h away (as the cache would). */
class FakeTokens implements TokenSource {
  readonly asked: { host: string; identity: AwsIdentity | undefined }[] = [];
  readonly secrets: SecretRequest[] = [];
  refreshAt: number | undefined = NOW + 4 * 3600_000;

  async getToken(registry: EcrRegistry, identity?: AwsIdentity): Promise<EcrToken> {
    this.asked.push({ host: registry.host, identity });
    return {
      username: 'AWS',
      password: `token-of-${registry.host}`,
      expiresAt: NOW + 12 * 3600_000,
      ...(this.refreshAt !== undefined ? { refreshAt: this.refreshAt } : {}),
    };
  }

  async getSecret(request: SecretRequest): Promise<EcrToken> {
    this.secrets.push(request);
    const expiresAt = NOW + request.cacheSeconds * 1000;
    return { username: 'robot', password: 'hub-password', expiresAt, refreshAt: NOW + 25_000 };
  }

  async listKnown() {
    return {};
  }
}

const table = parseConfigFile(
  JSON.stringify({
    fallback: 'file',
    registries: {
      'mirror.example.com': { ecr: ECR },
      'index.docker.io': {
        secretsManager: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hub-AbC',
        cacheSeconds: 60,
      },
      'quay.io': { anonymous: true },
      'ghcr.io': { helper: 'gh' },
      '210987654321.dkr.ecr.eu-west-1.amazonaws.com': {
        roleArn: 'arn:aws:iam::210987654321:role/route-role',
      },
    },
  }),
  '/etc/docker-credential-ecr-ts/config.json',
);

async function ask(
  image: string,
  options: {
    token?: string;
    annotations?: Record<string, string>;
    env?: Record<string, string>;
    apiVersion?: string;
    tokens?: FakeTokens;
  } = {},
) {
  const tokens = options.tokens ?? new FakeTokens();
  const opened: StoreName[] = [];
  const request = {
    apiVersion: options.apiVersion ?? V1,
    kind: 'CredentialProviderRequest',
    image,
    ...(options.token ? { serviceAccountToken: options.token } : {}),
    ...(options.annotations ? { serviceAccountAnnotations: options.annotations } : {}),
  };
  const context: ActionContext = {
    env: options.env ?? {},
    config: parseConfig(options.env ?? {}, '/root', table),
    logger: silentLogger,
    readInput: async () => JSON.stringify(request),
    tokens,
    openStore: (name): CredentialStore => {
      opened.push(name);
      return {
        label: 'fake',
        get: async (serverUrl) => {
          if (name.kind === 'helper') return { serverUrl, username: 'gh-user', secret: 'gh-pass' };
          throw notFound();
        },
        store: async () => undefined,
        erase: async () => undefined,
        list: async () => ({}),
      };
    },
    routes: createRoutes(table),
    loadSdk: async () => {
      throw new Error('the AWS SDK must not be loaded');
    },
    signal: new AbortController().signal,
    deadline: Date.now() + 10_000,
    progress: { step: 'test' },
    within: () => {
      throw new Error('only doctor checks narrow the bound');
    },
  };
  const outcome = await getCredentialsAction(context, () => NOW).then(
    (stdout) => ({ stdout, error: undefined }),
    (error: unknown) => ({ stdout: undefined, error: error as Error }),
  );
  const response =
    outcome.stdout === undefined
      ? undefined
      : decodeProviderResponse(outcome.stdout, {
          apiVersion: request.apiVersion,
          ...(options.token ? { serviceAccountToken: options.token } : {}),
        });
  return { ...outcome, response, tokens, opened };
}

describe('get-credentials', () => {
  it('answers an ECR image with its token, keyed so the kubelet finds it, until the refresh point', async () => {
    const { response, tokens } = await ask(`${ECR}/team/app`);
    expect(response).toEqual({
      cacheKeyType: 'Registry',
      cacheDurationMs: 4 * 3600_000,
      auth: { [ECR]: { username: 'AWS', password: `token-of-${ECR}` } },
    });
    expect(keyringLookup(response?.auth ?? {}, `${ECR}/team/app`)).toHaveLength(1);
    expect(tokens.asked).toEqual([{ host: ECR, identity: {} }]);
  });

  it('never gives a cache time past the refresh point, and 0s for a token past it', async () => {
    const tokens = new FakeTokens();
    tokens.refreshAt = NOW - 1000;
    expect((await ask(`${ECR}/app`, { tokens })).response?.cacheDurationMs).toBe(0);
    tokens.refreshAt = undefined; // from no cache (AWS_ECR_DISABLE_CACHE): half the life left
    expect((await ask(`${ECR}/app`, { tokens })).response?.cacheDurationMs).toBe(6 * 3600_000);
  });

  it('answers a mirror (an ecr alias) with its target registry token, under the mirror key', async () => {
    const { response, tokens } = await ask('mirror.example.com/library/nginx');
    expect(response?.auth).toEqual({
      'mirror.example.com': { username: 'AWS', password: `token-of-${ECR}` },
    });
    expect(tokens.asked.map((asked) => asked.host)).toEqual([ECR]);
  });

  it('answers Docker Hub from a secretsManager route written for index.docker.io, within cacheSeconds', async () => {
    const { response, tokens } = await ask('docker.io/library/nginx');
    expect(response?.auth).toEqual({
      'docker.io': { username: 'robot', password: 'hub-password' },
    });
    expect(response?.cacheDurationMs).toBe(25_000);
    expect(tokens.secrets[0]?.cacheSeconds).toBe(60);
  });

  it('a delegated helper login is never cached by the kubelet', async () => {
    const { response, opened } = await ask('ghcr.io/org/app');
    expect(response).toMatchObject({
      cacheDurationMs: 0,
      auth: { 'ghcr.io': { username: 'gh-user' } },
    });
    expect(opened).toEqual([{ kind: 'helper', name: 'gh' }]);
  });

  it.each(['registry.example.com/app', 'quay.io/org/app', 'localhost:5000/app'])(
    'answers %s, which has no route (or an anonymous one), with empty auth and asks no store',
    async (image) => {
      const { response, opened, tokens } = await ask(image);
      expect(response).toEqual({ cacheKeyType: 'Registry', cacheDurationMs: 0, auth: {} });
      expect(opened.filter((name) => name.kind !== 'none')).toEqual([]);
      expect(tokens.asked).toEqual([]);
    },
  );

  it.each([
    'credentialprovider.kubelet.k8s.io/v1beta1',
    'credentialprovider.kubelet.k8s.io/v1alpha1',
  ])('echoes %s', async (apiVersion) => {
    const { stdout, response } = await ask(`${ECR}/app`, { apiVersion });
    expect(JSON.parse(stdout ?? '').apiVersion).toBe(apiVersion);
    expect(response?.auth[ECR]).toBeDefined();
  });

  describe('with a service-account token', () => {
    const jwt = (claims: Record<string, unknown>) =>
      ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');
    const tokenA = jwt({
      iss: 'https://oidc.example',
      sub: 'system:serviceaccount:ns:a',
      'kubernetes.io': { serviceaccount: { uid: 'uid-a' }, pod: { uid: 'p1' } },
    });

    it('assumes the role of the annotation with the token, and says how the kubelet may cache it', async () => {
      const { response, tokens, stdout } = await ask(`${ECR}/app`, {
        token: tokenA,
        annotations: { 'eks.amazonaws.com/ecr-role-arn': ROLE },
      });
      expect(response?.serviceAccountTokenCacheType).toBe('ServiceAccount');
      expect(tokens.asked[0]?.identity).toEqual({
        roleArn: ROLE,
        webIdentity: {
          token: tokenA,
          subject: JSON.stringify(['https://oidc.example', 'system:serviceaccount:ns:a', 'uid-a']),
        },
      });
      expect(stdout).not.toContain(tokenA);
    });

    it("falls back to the route's roleArn, and reads the annotation key it is told to", async () => {
      const other = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';
      const byRoute = await ask(`${other}/app`, { token: tokenA });
      expect(byRoute.tokens.asked[0]?.identity?.roleArn).toBe(
        'arn:aws:iam::210987654321:role/route-role',
      );
      const byKey = await ask(`${ECR}/app`, {
        token: tokenA,
        annotations: { 'example.com/role': ROLE },
        env: { ECR_TS_KUBELET_ROLE_ANNOTATION: 'example.com/role' },
      });
      expect(byKey.tokens.asked[0]?.identity?.roleArn).toBe(ROLE);
    });

    it('with no role: refuses, naming the annotation, unless the node identity is allowed', async () => {
      const refused = await ask(`${ECR}/app`, { token: tokenA });
      expect(isHelperError(refused.error, 'AWS_CREDENTIALS')).toBe(true);
      expect(refused.error?.message).toContain('"eks.amazonaws.com/ecr-role-arn"');
      expect(refused.error?.message).toContain('ECR_TS_KUBELET_NODE_FALLBACK');
      expect(refused.tokens.asked).toEqual([]);
      const node = await ask(`${ECR}/app`, {
        token: tokenA,
        env: { ECR_TS_KUBELET_NODE_FALLBACK: 'true' },
      });
      expect(node.tokens.asked[0]?.identity).toEqual({});
      expect(node.response?.serviceAccountTokenCacheType).toBe('ServiceAccount');
    });

    it('refuses an annotation that is not a role ARN', async () => {
      const { error } = await ask(`${ECR}/app`, {
        token: tokenA,
        annotations: { 'eks.amazonaws.com/ecr-role-arn': 'admin' },
      });
      expect(error?.message).toMatch(/not an IAM role ARN/);
    });

    it('a token that is not a JWT is its own subject, hashed', async () => {
      const { tokens } = await ask(`${ECR}/app`, {
        token: 'opaque-token',
        annotations: { 'eks.amazonaws.com/ecr-role-arn': ROLE },
      });
      const subject = tokens.asked[0]?.identity?.webIdentity?.subject ?? '';
      expect(subject).toMatch(/^token:[0-9a-f]{64}$/);
      expect(subject).not.toContain('opaque-token');
    });

    it('a route that needs no AWS (a helper, none) ignores the token', async () => {
      const { response } = await ask('ghcr.io/app', { token: tokenA });
      expect(response?.auth['ghcr.io']?.username).toBe('gh-user');
    });
  });
});
