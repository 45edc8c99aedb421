import type { ActionContext } from '../../../src/actions/action-context';
import { getAction } from '../../../src/actions/get';
import type { EcrToken, SecretRequest, TokenSource } from '../../../src/aws/token';
import { parseConfig } from '../../../src/config/parse-config';
import { parseConfigFile } from '../../../src/config/parse-config-file';
import { isHelperError, notFound } from '../../../src/errors';
import { silentLogger } from '../../../src/log';
import type { EcrRegistry } from '../../../src/registry/parse-registry';
import { DEFAULT_ROUTE_TABLE } from '../../../src/routing/route-table';
import { createRoutes } from '../../../src/routing/routes';
import type { CredentialStore, Credentials, StoreName } from '../../../src/stores/credential-store';
import type { AwsIdentity } from '../../../src/aws/aws-identity';

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

/** A hand-written token source: records what it was asked, answers per registry host. */
class FakeTokens implements TokenSource {
  readonly tokens: { host: string; identity: AwsIdentity | undefined }[] = [];
  readonly secrets: SecretRequest[] = [];

  async getToken(registry: EcrRegistry, identity?: AwsIdentity) {
    this.tokens.push({ host: registry.host, identity });
    return { username: 'AWS', password: `token-of-${registry.host}`, expiresAt: 0 };
  }

  async getSecret(request: SecretRequest): Promise<EcrToken> {
    this.secrets.push(request);
    return { username: 'robot', password: `secret-of-${request.secretId}`, expiresAt: 0 };
  }

  async listKnown() {
    return {};
  }
}

/** A hand-written store: one login per server URL; records which store was opened. */
function fakeStores(logins: Record<string, Credentials>) {
  const opened: StoreName[] = [];
  const open = (name: StoreName): CredentialStore => {
    opened.push(name);
    return {
      label: 'fake',
      get: async (serverUrl) => {
        const login = logins[serverUrl];
        if (!login) throw notFound();
        return login;
      },
      store: async () => undefined,
      erase: async () => undefined,
      list: async () => ({}),
    };
  };
  return { opened, open };
}

const table = parseConfigFile(
  JSON.stringify({
    fallback: 'pass',
    registries: {
      [ECR]: { profile: 'prod' },
      'mirror.example.com': { ecr: ECR, roleArn: 'arn:aws:iam::123456789012:role/mirror' },
      'ghcr.io': {
        secretsManager: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh-AbC',
        cacheSeconds: 60,
      },
      'quay.io': { anonymous: true },
      '*.corp.example': { helper: 'gcloud' },
    },
  }),
  '/c/config.json',
);

async function get(serverUrl: string, routes = table, logins: Record<string, Credentials> = {}) {
  const tokens = new FakeTokens();
  const stores = fakeStores(logins);
  const context: ActionContext = {
    env: {},
    config: parseConfig({}, '/home/test', routes),
    logger: silentLogger,
    readInput: async () => `${serverUrl}\n`,
    tokens,
    openStore: stores.open,
    routes: createRoutes(routes),
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
  const outcome = await getAction(context).then(
    (stdout) => ({ stdout, error: undefined }),
    (error: unknown) => ({ stdout: undefined, error }),
  );
  return { ...outcome, tokens, stores };
}

describe('get over the routes', () => {
  it('an ECR host: its token, minted with the identity of its entry', async () => {
    const result = await get(`https://${ECR}/v2/`);
    expect(JSON.parse(result.stdout ?? '')).toEqual({
      ServerURL: `https://${ECR}/v2/`,
      Username: 'AWS',
      Secret: `token-of-${ECR}`,
    });
    expect(result.tokens.tokens).toEqual([{ host: ECR, identity: { profile: 'prod' } }]);
    expect(result.stores.opened).toEqual([]);
  });

  it('an ECR host without an entry uses the default identity', async () => {
    const result = await get('public.ecr.aws', DEFAULT_ROUTE_TABLE);
    expect(result.tokens.tokens).toEqual([{ host: 'public.ecr.aws', identity: {} }]);
  });

  it('an alias answers the target registry token with the ServerURL as asked', async () => {
    const result = await get('mirror.example.com');
    expect(JSON.parse(result.stdout ?? '')).toEqual({
      ServerURL: 'mirror.example.com',
      Username: 'AWS',
      Secret: `token-of-${ECR}`,
    });
    expect(result.tokens.tokens).toEqual([
      { host: ECR, identity: { roleArn: 'arn:aws:iam::123456789012:role/mirror' } },
    ]);
  });

  it('a secretsManager route answers the user name and password of the secret', async () => {
    const result = await get('ghcr.io');
    const secretId = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gh-AbC';
    expect(JSON.parse(result.stdout ?? '')).toEqual({
      ServerURL: 'ghcr.io',
      Username: 'robot',
      Secret: `secret-of-${secretId}`,
    });
    expect(result.tokens.secrets).toEqual([
      { host: 'ghcr.io', secretId, identity: {}, cacheSeconds: 60 },
    ]);
  });

  it('an anonymous route is not-found at once, asking no one', async () => {
    const result = await get('quay.io');
    expect(isHelperError(result.error, 'NOT_FOUND')).toBe(true);
    expect(result.tokens.tokens).toEqual([]);
    expect(result.stores.opened).toEqual([]);
  });

  it('a helper route and every other host go to their store, with no AWS call', async () => {
    const login = { serverUrl: 'git.corp.example', username: 'me', secret: 'pw' };
    const routed = await get('git.corp.example', table, { 'git.corp.example': login });
    expect(JSON.parse(routed.stdout ?? '')).toEqual({
      ServerURL: 'git.corp.example',
      Username: 'me',
      Secret: 'pw',
    });
    expect(routed.stores.opened).toEqual([{ kind: 'helper', name: 'gcloud' }]);
    const other = await get('registry-1.docker.io');
    expect(other.stores.opened).toEqual([{ kind: 'helper', name: 'pass' }]);
    expect(isHelperError(other.error, 'NOT_FOUND')).toBe(true);
    expect([...routed.tokens.tokens, ...other.tokens.tokens]).toEqual([]);
  });

  it('look-alike ECR hosts go to the fallback, never to AWS', async () => {
    const result = await get(`${ECR}.fake.example.com`, DEFAULT_ROUTE_TABLE);
    expect(result.stores.opened).toEqual([{ kind: 'file' }]);
    expect(result.tokens.tokens).toEqual([]);
  });
});
