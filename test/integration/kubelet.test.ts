/**
 * The helper as the kubelet's image credential provider (docs/kubelet.md), driven by the kubelet
 * emulation (test/support/kubelet.ts) on a config written by `configure --kubelet`: each request
 * version, each kind of answer, one API call for a node however many pulls and restarts, the
 * cache time against the token's refresh point, failures as the kubelet logs them, and the
 * executable answering under any file name.
 */
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv, tempDir } from '../support/env';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { PROVIDER_API_VERSIONS } from '../support/kubelet';
import {
  ECR,
  HUB_PASSWORD,
  OTHER_ECR,
  ROUTE_ROLE,
  startKubeletWorld,
  V1,
  type KubeletWorld,
} from './kubelet-world';

scrubProcessEnv();

let w: KubeletWorld;
beforeEach(async () => {
  w = await startKubeletWorld();
  const configured = await w.configure();
  expect([configured.code, configured.stderr]).toEqual([0, '']);
});

describe('the kubelet pulling through the provider', () => {
  it.each(PROVIDER_API_VERSIONS)(
    'in %s: the ECR token, under the key its lookup finds, cached no longer than the refresh point',
    async (apiVersion) => {
      const config = JSON.parse(readFileSync(w.configFile, 'utf8'));
      config.providers[0].apiVersion = apiVersion;
      writeFileSync(w.configFile, JSON.stringify(config));
      const asked = Date.now();
      const pull = await w.kubelet().pull(`${ECR}/team/app`);
      expect(pull.error).toBeUndefined();
      expect(pull.ran).toBe(true);
      expect(pull.stderr).toBe('');
      expect(JSON.parse(pull.stdout).apiVersion).toBe(apiVersion);
      expect(pull.response?.cacheKeyType).toBe('Registry');
      expect(pull.credentials).toEqual([{ username: 'AWS', password: w.ecr.passwords[0] }]);
      const [entry] = w.entries();
      expect(entry?.refreshAt).toBeGreaterThan(asked);
      // Whole seconds, rounded down: never past the moment the cache would fetch a new token.
      expect(pull.response?.cacheDurationMs).toBeLessThanOrEqual((entry?.refreshAt ?? 0) - asked);
      expect(pull.response?.cacheDurationMs).toBeGreaterThan(2 * 3600_000);
    },
  );

  it('20 pulls at once and two kubelet restarts make one GetAuthorizationToken call', async () => {
    const kubelet = w.kubelet();
    // The kubelet single-flights per image: 20 images of one registry start 20 providers.
    const pulls = await Promise.all(
      Array.from({ length: 20 }, (_, i) => kubelet.pull(`${ECR}/app-${i}:1`)),
    );
    for (const pull of pulls) expect(pull.credentials).toHaveLength(1);
    expect(new Set(pulls.map((pull) => pull.credentials[0]?.password)).size).toBe(1);
    expect(w.ecr.tokenCalls()).toBe(1);
    // A restart loses the kubelet's memory, not the provider's cache.
    for (let restart = 0; restart < 2; restart += 1) {
      const again = await w.kubelet().pull(`${ECR}/app-0:1`);
      expect(again.credentials[0]?.password).toBe(pulls[0]?.credentials[0]?.password);
    }
    expect(w.ecr.tokenCalls()).toBe(1);
  });

  it('a warm get-credentials is a cache hit: no AWS SDK, command-line or lock library loaded', async () => {
    // Records the modules Node loaded and whether src/aws/sdk/ ran (the Bun executable bundles
    // everything, so there only the SDK's own marker shows), as cache-hot-path.test.ts does.
    const probe = join(w.dir, 'probe.cjs');
    writeFileSync(
      probe,
      `const Module = require('module'); const fs = require('fs'); const seen = new Set();
const load = Module._load;
Module._load = function (request) { seen.add(request); return load.apply(this, arguments); };
process.on('exit', () => {
  for (const file of Object.keys(require.cache ?? {})) seen.add(file);
  if (globalThis[Symbol.for('docker-credential-ecr-ts.aws-sdk-loaded')]) seen.add('sdk-evaluated');
  fs.writeFileSync(process.env.PROBE_OUT, [...seen].join('\\n'));
});`,
    );
    const request = { apiVersion: V1, kind: 'CredentialProviderRequest', image: `${ECR}/app` };
    const probed = async (name: string): Promise<string> => {
      const out = join(w.dir, `${name}.txt`);
      const run = await w.provide(request, {
        NODE_OPTIONS: `--require ${probe}`,
        BUN_OPTIONS: `--preload ${probe}`,
        PROBE_OUT: out,
      });
      expect([run.code, run.stderr]).toEqual([0, '']);
      return readFileSync(out, 'utf8');
    };
    const loadsSdk = (modules: string) =>
      modules.split('\n').some((m) => /@aws-sdk|@smithy|aws-sdk\.cjs$|^sdk-evaluated$/.test(m));
    const loadsLocks = (modules: string) =>
      modules.split('\n').some((m) => /proper-lockfile/.test(m));
    const miss = await probed('miss');
    expect(loadsSdk(miss)).toBe(true);
    const hit = await probed('hit');
    expect(loadsSdk(hit)).toBe(false);
    expect(hit.split('\n').some((m) => /commander|cli\.cjs$/.test(m))).toBe(false);
    // Where the lock library is a file of its own (the JS build), the miss is the control.
    if (loadsLocks(miss)) expect(loadsLocks(hit)).toBe(false);
    expect(w.ecr.tokenCalls()).toBe(1);
  });

  it('a mirror (an ecr alias) gets the ECR token of its route, under the mirror host', async () => {
    const pull = await w.kubelet().pull('mirror.example.com/library/nginx:1');
    expect(pull.response?.auth).toEqual({
      'mirror.example.com': { username: 'AWS', password: w.ecr.passwords[0] },
    });
    expect(pull.credentials).toHaveLength(1);
  });

  it('a secretsManager route gives a non-ECR registry its login, cached no longer than cacheSeconds', async () => {
    const pull = await w.kubelet().pull('registry.example.com/team/app');
    expect(pull.credentials).toEqual([{ username: 'hub-robot', password: HUB_PASSWORD }]);
    expect(pull.response?.cacheDurationMs).toBeLessThanOrEqual(120_000);
    expect(w.secrets.reads()).toBe(1);
  });

  it("a route's roleArn is assumed with the node's credentials for that registry", async () => {
    const pull = await w.kubelet().pull(`${OTHER_ECR}/app`);
    expect(pull.credentials).toHaveLength(1);
    expect(w.sts.calls.map((call) => [call['Action'], call['RoleArn']])).toEqual([
      ['AssumeRole', ROUTE_ROLE],
    ]);
    const signedBy = w.ecr.requests.at(-1)?.verification?.accessKeyId;
    expect(w.sts.issued.map((key) => key.accessKeyId)).toContain(signedBy);
  });

  it('a registry with no route: the kubelet does not run us, and asked anyway we answer empty, exit 0', async () => {
    expect((await w.kubelet().pull('registry-1.docker.io/library/nginx')).ran).toBe(false);
    for (const image of ['ghcr.io/org/app', 'quay.io/org/app']) {
      const run = await w.provide({ apiVersion: V1, kind: 'CredentialProviderRequest', image });
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(JSON.parse(run.stdout)).toEqual({
        apiVersion: V1,
        kind: 'CredentialProviderResponse',
        cacheKeyType: 'Registry',
        cacheDuration: '0s',
        auth: {},
      });
    }
    expect(w.ecr.tokenCalls()).toBe(0);
  });

  it('AccessDenied: exit 1 and one stderr line the kubelet logs, nothing on stdout, no secret', async () => {
    w.ecr.defaultFault = 'access-denied';
    const pull = await w.kubelet().pull(`${ECR}/app`);
    expect(pull.exitCode).toBe(1);
    expect(pull.stdout).toBe('');
    expect(pull.credentials).toEqual([]);
    const lines = pull.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/access denied calling ecr:GetAuthorizationToken/);
    expect(pull.error).toContain(lines[0]);
    expectNoSecrets(pull.stderr, secretsOf([...w.keys.keys.values()]), 'stderr');
  });

  it('ECR Public: its token with AWS credentials, and empty auth (an anonymous pull) without any', async () => {
    const withKeys = await w.kubelet().pull('public.ecr.aws/team/app:1');
    expect(withKeys.credentials).toEqual([{ username: 'AWS', password: w.ecr.passwords[0] }]);
    const noKeys = Object.fromEntries(
      Object.entries(w.nodeEnv).filter(
        ([name]) =>
          !name.startsWith('AWS_ACCESS_KEY_ID') &&
          !name.startsWith('AWS_SECRET') &&
          !name.startsWith('AWS_SESSION'),
      ),
    );
    const run = await runHelper({
      args: ['get-credentials'],
      input: JSON.stringify({
        apiVersion: V1,
        kind: 'CredentialProviderRequest',
        image: 'ecr-public.aws.com/team/app',
      }),
      env: { ...noKeys, AWS_ECR_DISABLE_CACHE: '1' },
    });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout)).toMatchObject({ cacheDuration: '0s', auth: {} });
    expect(w.ecr.tokenCalls()).toBe(1);
  });

  it('a hung ECR API ends at the bound with one line naming what it waited for', async () => {
    w.ecr.defaultFault = 'hang';
    const run = await w.provide(
      { apiVersion: V1, kind: 'CredentialProviderRequest', image: `${ECR}/app` },
      { ECR_TS_TIMEOUT: '2' },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        /timed out after 2 s while calling GetAuthorizationToken at http:\/\/127\.0\.0\.1:\d+/,
      ),
    ]);
  });

  it.each([
    ['not JSON', 'https://index.docker.io/v1/', /stdin is not JSON/],
    [
      'a wrong kind',
      { apiVersion: V1, kind: 'CredentialProviderResponse', image: 'a.io/b' },
      /expected kind "CredentialProviderRequest"/,
    ],
    [
      'an unknown apiVersion',
      {
        apiVersion: 'credentialprovider.kubelet.k8s.io/v2',
        kind: 'CredentialProviderRequest',
        image: 'a.io/b',
      },
      /unknown apiVersion "credentialprovider.kubelet.k8s.io\/v2"/,
    ],
    ['no image', { apiVersion: V1, kind: 'CredentialProviderRequest' }, /has no image/],
  ])('%s: exit 1 and one line naming what was wrong', async (_, request, message) => {
    const run = await w.provide(request);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(message)]);
  });

  it('get fed a kubelet request says to run get-credentials', async () => {
    const run = await runHelper({
      args: ['get'],
      input: JSON.stringify({
        apiVersion: V1,
        kind: 'CredentialProviderRequest',
        image: `${ECR}/a`,
      }),
      env: { ...w.nodeEnv, AWS_ECR_CACHE_DIR: w.cacheDir },
    });
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toMatch(/kubelet CredentialProviderRequest.*get-credentials/);
    expect(w.ecr.tokenCalls()).toBe(0);
  });

  it('answers the same linked or copied under any provider name (dispatch ignores the name)', async () => {
    const dir = tempDir();
    const request = { apiVersion: V1, kind: 'CredentialProviderRequest', image: `${ECR}/app` };
    const answers = new Set<string>();
    for (const name of ['ecr-credential-provider', 'x']) {
      symlinkSync(HELPER_BIN, join(dir, name));
      const run = await runHelper({
        bin: join(dir, name),
        args: ['get-credentials'],
        input: JSON.stringify(request),
        env: { ...w.nodeEnv, ECR_TS_CONFIG: w.routesFile, AWS_ECR_CACHE_DIR: w.cacheDir },
      });
      expect([run.code, run.stderr]).toEqual([0, '']);
      answers.add(JSON.stringify(JSON.parse(run.stdout).auth));
    }
    expect(answers.size).toBe(1);
    expect(w.ecr.tokenCalls()).toBe(1);
  });

  it('refuses a config file that others may write, or that another user owns, naming why', async () => {
    chmodSync(w.routesFile, 0o664);
    const shared = await w.provide({
      apiVersion: V1,
      kind: 'CredentialProviderRequest',
      image: `${ECR}/a`,
    });
    expect(shared.code).toBe(1);
    expect(shared.stderr).toMatch(
      /refusing to use this config file: group or others can write it \(mode 664\)$/m,
    );
    chmodSync(w.routesFile, 0o644);
    if (process.getuid?.() === 0) {
      const { chownSync } = await import('node:fs');
      chownSync(w.routesFile, 65534, 65534);
      const foreign = await w.provide({
        apiVersion: V1,
        kind: 'CredentialProviderRequest',
        image: `${ECR}/a`,
      });
      expect(foreign.stderr).toMatch(/belongs to uid 65534/);
    }
    expect(w.ecr.tokenCalls()).toBe(0);
  });
});

describe('a throttled cold start on a node', () => {
  it("waits for the account's refill up to the kubelet's bound (45 s), past docker's (10 s)", async () => {
    // One call at once, then one every 12 s: a bucket that only a wait longer than docker's
    // default bound ever serves again.
    const node = await startKubeletWorld({ bucket: { capacity: 1, perSecond: 1 / 12 } });
    const request = { apiVersion: V1, kind: 'CredentialProviderRequest', image: `${ECR}/app` };
    const noCache = { ECR_TS_CONFIG: node.routesFile, AWS_ECR_DISABLE_CACHE: 'true' };
    // Another machine of the account takes the one call the bucket holds.
    const first = await node.provide(request, { AWS_ECR_DISABLE_CACHE: 'true' });
    expect([first.code, first.stderr]).toEqual([0, '']);
    const [provider, get] = await Promise.all([
      // The node's cold start: no ECR_TS_TIMEOUT, the kubelet's default bound.
      runHelper({
        args: ['get-credentials'],
        input: JSON.stringify(request),
        env: { ...node.nodeEnv, ...noCache },
        killAfterMs: 58_000,
      }),
      // The control: docker's `get` at the same moment, with docker's default bound.
      runHelper({
        args: ['get'],
        input: `${ECR}\n`,
        env: { ...node.nodeEnv, ...noCache, HOME: node.dir },
      }),
    ]);
    expect(get.code).toBe(1);
    expect(get.stdout).toMatch(/^ecr:GetAuthorizationToken was throttled at /);
    expect(provider.signal).toBeNull();
    expect([provider.code, provider.stderr]).toEqual([0, '']);
    expect(JSON.parse(provider.stdout).auth).toEqual({
      [ECR]: { username: 'AWS', password: node.ecr.passwords[1] },
    });
    expect(node.ecr.tokenCalls()).toBe(2);
    expect(node.ecr.throttledCalls()).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
