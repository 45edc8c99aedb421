/**
 * HTTPS_PROXY and NO_PROXY for the API calls. In a namespace (no way out) where the proxied API
 * host does not resolve at all, so only the proxy can have carried a successful call; the fake
 * proxy records the CONNECT target and tunnels to the TLS fake ECR.
 */
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore } from '../support/fake-aws';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { createNetns, itWithNetns, netnsSupport, type Netns } from '../support/netns';
import { HELPER_BIN, runHelper, type RunResult } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';
import { createTestCa, type TestCa } from '../support/tls';

scrubProcessEnv();
const tempDir = useTempDirs();

/** Reachable only through the proxy: not in the namespace's hosts file. */
const PROXIED = {
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  api: 'api.ecr.eu-west-1.amazonaws.com',
};
/** Mapped to the fake in the hosts file: reachable directly. */
const DIRECT = {
  registry: '123456789012.dkr.ecr.eu-central-1.amazonaws.com',
  api: 'api.ecr.eu-central-1.amazonaws.com',
};

describe('HTTPS_PROXY / NO_PROXY', () => {
  const keys = new KeyStore();
  const key = keys.issue();
  let netns: Netns | undefined;
  let fakes: FakesProcess | undefined;
  let ca: TestCa | undefined;

  beforeAll(async () => {
    if (!netnsSupport().ok) return;
    ca = await createTestCa();
    const leaf = await ca.issue({ dns: [PROXIED.api, DIRECT.api] });
    netns = await createNetns({ hosts: { [DIRECT.api]: '127.0.0.1' } });
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'ecr', name: 'ecr', host: '127.0.0.1', port: 443, tls: leaf },
          { kind: 'proxy', name: 'proxy', forward: { host: '127.0.0.1', port: 443 } },
        ],
        staticKeys: [key],
      },
      { netns },
    );
  });

  afterAll(async () => {
    await fakes?.close();
    await netns?.close();
    ca?.cleanup();
  });

  async function get(registry: string, extra: Record<string, string>): Promise<RunResult> {
    if (!netns || !ca) throw new Error('namespace setup failed');
    const env = cleanEnv(tempDir(), {
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_SESSION_TOKEN: key.sessionToken ?? '',
      NODE_EXTRA_CA_CERTS: ca.certPath,
      ...extra,
    });
    delete env['AWS_ENDPOINT_URL'];
    const helper = netns.wrap(HELPER_BIN, ['get']);
    return runHelper({ bin: helper.file, args: helper.args, env, input: registry });
  }

  async function counts(): Promise<{ connects: string[]; ecrHosts: string[] }> {
    if (!fakes) throw new Error('no fakes');
    const seen = await fakes.snapshot();
    return {
      connects: seen.servers['proxy']?.requests.map((r) => r.path) ?? [],
      ecrHosts: seen.servers['ecr']?.requests.map((r) => r.host) ?? [],
    };
  }

  itWithNetns('proxy')(
    'HTTPS_PROXY carries the API call (CONNECT to the real API host)',
    async () => {
      const before = await counts();
      const result = await get(PROXIED.registry, { HTTPS_PROXY: fakes?.url('proxy') ?? '' });
      const after = await counts();
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(after.connects.slice(before.connects.length)).toEqual([`${PROXIED.api}:443`]);
      expect(after.ecrHosts.slice(before.ecrHosts.length)).toEqual([PROXIED.api]);
      expectNoSecrets(result.stdout + result.stderr, secretsOf([key]), 'the output');
    },
  );

  itWithNetns('proxy')(
    'lower-case https_proxy works too, with proxy credentials sent',
    async () => {
      const before = await counts();
      const proxy = new URL(fakes?.url('proxy') ?? 'http://x');
      proxy.username = 'proxyuser';
      proxy.password = 'proxy-pass-s3cret';
      const result = await get(PROXIED.registry, { https_proxy: proxy.toString() });
      expect(result.code).toBe(0);
      const seen = await fakes?.snapshot();
      const connect = seen?.servers['proxy']?.requests[before.connects.length];
      expect(connect?.path).toBe(`${PROXIED.api}:443`);
      expect(connect?.headers['proxy-authorization']).toBe(
        `Basic ${Buffer.from('proxyuser:proxy-pass-s3cret').toString('base64')}`,
      );
    },
  );

  itWithNetns('proxy')('AWS_CA_BUNDLE is trusted through the proxy tunnel too', async () => {
    const result = await get(PROXIED.registry, {
      HTTPS_PROXY: fakes?.url('proxy') ?? '',
      NODE_EXTRA_CA_CERTS: '',
      AWS_CA_BUNDLE: ca?.certPath ?? '',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  itWithNetns('proxy')('NO_PROXY sends matching hosts directly', async () => {
    const before = await counts();
    const result = await get(DIRECT.registry, {
      HTTPS_PROXY: fakes?.url('proxy') ?? '',
      NO_PROXY: `localhost,.eu-central-1.amazonaws.com`,
    });
    const after = await counts();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(after.connects).toHaveLength(before.connects.length);
    expect(after.ecrHosts.slice(before.ecrHosts.length)).toEqual([DIRECT.api]);
  });

  itWithNetns('proxy')(
    'a failing proxy is named in the failure, without its password',
    async () => {
      if (!fakes) throw new Error('no fakes');
      await fakes.setFaults('proxy', [], 'reset');
      try {
        const proxy = new URL(fakes.url('proxy'));
        proxy.username = 'proxyuser';
        proxy.password = 'proxy-pass-s3cret';
        const result = await get(PROXIED.registry, { HTTPS_PROXY: proxy.toString() });
        expect(result.code).toBe(1);
        expect(result.stdout).toContain(
          `https://${PROXIED.api} through proxy ${fakes.url('proxy')}`,
        );
        expectNoSecrets(result.stdout + result.stderr, ['proxy-pass-s3cret'], 'the output');
      } finally {
        await fakes.setFaults('proxy', [], 'ok');
      }
    },
  );
});
