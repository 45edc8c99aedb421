/**
 * Region, partition, FIPS and dual-stack come from the registry host alone: with no endpoint
 * override, each request must arrive at the real AWS API host name the SDK picks for that host.
 * Inside a network namespace whose /etc/hosts maps those names to a TLS fake on 127.0.0.1:443
 * (a certificate from a test CA, trusted through NODE_EXTRA_CA_CERTS), so nothing can go out.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEcrFixture } from '../support/ecr-fixture';
import { cleanEnv, keyEnv, scrubProcessEnv } from '../support/env';
import { KeyStore } from '../support/fake-aws';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { createNetns, itWithNetns, netnsSupport, type Netns } from '../support/netns';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';
import { createTestCa, type TestCa } from '../support/tls';

scrubProcessEnv();
const tempDir = useTempDirs();

interface Case {
  readonly registry: string;
  /** The API host the request must arrive at. */
  readonly api: string;
  /** The SigV4 scope region and service. */
  readonly region: string;
  readonly service: 'ecr' | 'ecr-public';
}

// API host names as the JS SDK's endpoint rules produce them (docs/decisions.md).
const CASES: readonly Case[] = [
  {
    registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    api: 'api.ecr.eu-west-1.amazonaws.com',
    region: 'eu-west-1',
    service: 'ecr',
  },
  {
    registry: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com',
    api: 'api.ecr-fips.us-east-1.amazonaws.com',
    region: 'us-east-1',
    service: 'ecr',
  },
  {
    registry: '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
    api: 'api.ecr-fips.us-gov-west-1.amazonaws.com',
    region: 'us-gov-west-1',
    service: 'ecr',
  },
  {
    registry: '123456789012.dkr-ecr.us-west-2.on.aws',
    api: 'ecr.us-west-2.api.aws',
    region: 'us-west-2',
    service: 'ecr',
  },
  {
    registry: '123456789012.dkr-ecr-fips.us-west-2.on.aws',
    api: 'ecr-fips.us-west-2.api.aws',
    region: 'us-west-2',
    service: 'ecr',
  },
  {
    registry: '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn',
    api: 'api.ecr.cn-north-1.amazonaws.com.cn',
    region: 'cn-north-1',
    service: 'ecr',
  },
  {
    registry: '210987654321.dkr.ecr.cn-north-1.on.amazonwebservices.com.cn',
    api: 'ecr.cn-north-1.api.amazonwebservices.com.cn',
    region: 'cn-north-1',
    service: 'ecr',
  },
  {
    registry: '123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov',
    api: 'api.ecr.us-iso-east-1.c2s.ic.gov',
    region: 'us-iso-east-1',
    service: 'ecr',
  },
  {
    registry: 'public.ecr.aws',
    api: 'api.ecr-public.us-east-1.amazonaws.com',
    region: 'us-east-1',
    service: 'ecr-public',
  },
  {
    registry: 'ecr-public.aws.com',
    api: 'ecr-public.us-east-1.api.aws',
    region: 'us-east-1',
    service: 'ecr-public',
  },
];

/** STS host names for a route's role, as the SDK's rules give them for each registry. */
const STS_CASES = [
  {
    registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    sts: 'sts.eu-west-1.amazonaws.com',
    api: 'api.ecr.eu-west-1.amazonaws.com',
  },
  // A FIPS registry: STS at its FIPS endpoint too (GovCloud's regional STS is FIPS already).
  {
    registry: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com',
    sts: 'sts-fips.us-east-1.amazonaws.com',
    api: 'api.ecr-fips.us-east-1.amazonaws.com',
  },
  {
    registry: '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
    sts: 'sts.us-gov-west-1.amazonaws.com',
    api: 'api.ecr-fips.us-gov-west-1.amazonaws.com',
  },
] as const;

const TARGET = {
  ecr: 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken',
  'ecr-public': 'SpencerFrontendService.GetAuthorizationToken',
};

describe('API endpoints chosen from the registry host (no endpoint override)', () => {
  const keys = new KeyStore();
  const key = keys.issue();
  let netns: Netns | undefined;
  let fakes: FakesProcess | undefined;
  let ca: TestCa | undefined;

  beforeAll(async () => {
    if (!netnsSupport().ok) return;
    ca = await createTestCa();
    const names = CASES.map((c) => c.api);
    const stsNames = STS_CASES.map((c) => c.sts);
    const leaf = await ca.issue({ dns: [...names, ...stsNames] });
    // The ECR API on 127.0.0.1:443, STS on 127.0.0.2:443: both are port 443 of their real name.
    netns = await createNetns({
      hosts: Object.fromEntries([
        ...names.map((n) => [n, '127.0.0.1']),
        ...stsNames.map((n) => [n, '127.0.0.2']),
      ]),
    });
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'ecr', name: 'ecr', host: '127.0.0.1', port: 443, tls: leaf },
          { kind: 'sts', name: 'sts', host: '127.0.0.2', port: 443, tls: leaf },
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

  itWithNetns('FIPS/dual-stack/partition endpoints').each(CASES)(
    '$registry -> $api, signed for $region (AWS_REGION says otherwise)',
    async ({ registry, api, region, service }) => {
      if (!netns || !fakes || !ca) throw new Error('namespace setup failed');
      const before = (await fakes.snapshot()).servers['ecr']?.requests.length ?? 0;
      const env = cleanEnv(tempDir(), {
        AWS_ACCESS_KEY_ID: key.accessKeyId,
        AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
        AWS_SESSION_TOKEN: key.sessionToken ?? '',
        // Must be ignored: the registry host names the region.
        AWS_REGION: 'ap-southeast-2',
        AWS_DEFAULT_REGION: 'ap-southeast-2',
        NODE_EXTRA_CA_CERTS: ca.certPath,
      });
      // The real endpoint must be chosen, so no override at all (the namespace has no way out).
      delete env['AWS_ENDPOINT_URL'];
      const helper = netns.wrap(HELPER_BIN, ['get']);
      const result = await runHelper({ bin: helper.file, args: helper.args, env, input: registry });
      const seen = (await fakes.snapshot()).servers['ecr'];
      const requests = seen?.requests.slice(before) ?? [];
      expect(requests.map((request) => request.host)).toEqual([api]);
      expect(requests[0]?.headers['x-amz-target']).toBe(TARGET[service]);
      expect(requests[0]?.verification).toMatchObject({
        ok: true,
        accessKeyId: key.accessKeyId,
        region,
        service,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const answer = JSON.parse(result.stdout) as { Secret: string; ServerURL: string };
      expect(answer.ServerURL).toBe(registry);
      expect(seen?.passwords).toContain(answer.Secret);
      expectNoSecrets(result.stdout + result.stderr, secretsOf([key]), 'the output');
    },
  );

  itWithNetns('STS endpoints').each(STS_CASES)(
    "a route's role for $registry is assumed at $sts, and its token asked of $api",
    async ({ registry, sts, api }) => {
      if (!netns || !fakes || !ca) throw new Error('namespace setup failed');
      const before = await fakes.snapshot();
      const home = tempDir();
      const config = join(home, 'config.json');
      const role = 'arn:aws:iam::123456789012:role/puller';
      writeFileSync(config, JSON.stringify({ registries: { [registry]: { roleArn: role } } }));
      const result = await getInside(registry, {
        ECR_TS_CONFIG: config,
        NODE_EXTRA_CA_CERTS: ca.certPath,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const after = await fakes.snapshot();
      const since = (name: string) =>
        after.servers[name]?.requests.slice(before.servers[name]?.requests.length ?? 0) ?? [];
      expect(since('sts').map((request) => request.host)).toEqual([sts]);
      expect(since('sts')[0]?.verification).toMatchObject({
        ok: true,
        accessKeyId: key.accessKeyId,
      });
      const [token] = since('ecr');
      expect(since('ecr').map((request) => request.host)).toEqual([api]);
      // Signed with the role's keys, not the base ones.
      expect(token?.verification?.ok).toBe(true);
      expect(token?.verification?.accessKeyId).not.toBe(key.accessKeyId);
      expectNoSecrets(result.stdout + result.stderr, secretsOf(after.keys), 'the output');
    },
  );

  /** Runs the helper inside the namespace against the real API host name, with `extra` env. */
  async function getInside(registry: string, extra: Record<string, string>) {
    if (!netns || !fakes || !ca) throw new Error('namespace setup failed');
    const env = cleanEnv(tempDir(), {
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      AWS_SESSION_TOKEN: key.sessionToken ?? '',
      ...extra,
    });
    delete env['AWS_ENDPOINT_URL'];
    const helper = netns.wrap(HELPER_BIN, ['get']);
    return runHelper({ bin: helper.file, args: helper.args, env, input: registry });
  }

  itWithNetns('AWS_CA_BUNDLE')('AWS_CA_BUNDLE makes the SDK trust that CA', async () => {
    const result = await getInside('123456789012.dkr.ecr.eu-west-1.amazonaws.com', {
      AWS_CA_BUNDLE: ca?.certPath ?? '',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  itWithNetns('untrusted certificate')(
    'an untrusted certificate names the endpoint and how to trust a CA',
    async () => {
      const result = await getInside('123456789012.dkr.ecr.eu-west-1.amazonaws.com', {});
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^cannot verify the TLS certificate of the ECR API at https:\/\/api\.ecr\.eu-west-1\.amazonaws\.com to call ecr:GetAuthorizationToken \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)/,
      );
      expect(result.stdout).toContain('AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS');
    },
  );

  itWithNetns('AWS_CA_BUNDLE')(
    'an unreadable AWS_CA_BUNDLE is a configuration error naming it',
    async () => {
      const missing = '/nonexistent/ca-bundle.pem';
      const result = await getInside('123456789012.dkr.ecr.eu-west-1.amazonaws.com', {
        AWS_CA_BUNDLE: missing,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(
        `cannot read AWS_CA_BUNDLE "${missing}" (ENOENT): fix or unset it\n`,
      );
    },
  );
});

describe('endpoint overrides', () => {
  it.each([
    '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com',
    '123456789012.dkr-ecr.us-west-2.on.aws',
    '123456789012.dkr-ecr-fips.us-west-2.on.aws',
  ])('AWS_ENDPOINT_URL_ECR wins over the FIPS/dual-stack form of %s', async (registry) => {
    const fx = await startEcrFixture({ containerCredentials: false });
    const result = await fx.get({ host: registry, env: fx.env(keyEnv(fx.keys.issue())) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Secret: fx.ecr.passwords[0] });
    expect(fx.ecr.requests[0]?.verification?.ok).toBe(true);
  });
});
