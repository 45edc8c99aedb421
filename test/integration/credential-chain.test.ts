/**
 * The helper takes AWS credentials from each source of the SDK's default chain, and the fake ECR
 * verifies every request's SigV4 signature against exactly the keys that source handed out.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEcrFixture } from '../support/ecr-fixture';
import { cleanEnv, keyEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { startFakeSts } from '../support/fake-sts';
import { createNetns, itWithNetns, netnsSupport, type Netns } from '../support/netns';
import { HELPER_BIN, runHelper, type RunResult } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import type { IssuedKey } from '../support/sigv4';
import { useTempDirs } from '../support/temp-dirs';
import { ECR_HOST as HOST } from '../support/registry-host';

scrubProcessEnv();
const tempDir = useTempDirs();

/** The success answer, signed by `key`, with nothing on stderr and no secret anywhere. */
function expectSignedSuccess(
  result: RunResult,
  ecr: { requests: readonly { verification?: unknown }[]; passwords: readonly string[] },
  key: IssuedKey | undefined,
): void {
  expect(key).toBeDefined();
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({
    ServerURL: HOST,
    Username: 'AWS',
    Secret: ecr.passwords[0],
  });
  expect(ecr.requests).toHaveLength(1);
  expect(ecr.requests[0]?.verification).toMatchObject({
    ok: true,
    accessKeyId: key?.accessKeyId,
    region: 'eu-west-1',
    service: 'ecr',
  });
  expectNoSecrets(result.stdout + result.stderr, secretsOf(key ? [key] : []), 'the output');
}

describe('credentials from the default chain, signatures verified', () => {
  itWithNetns('ECS relative URI')(
    'uses the ECS container endpoint at 169.254.170.2 (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)',
    async () => {
      const netns = await createNetns({ addresses: ['169.254.170.2/32'] });
      try {
        const fakes = await startFakesProcess(
          {
            servers: [
              { kind: 'credentials', name: 'ecs', host: '169.254.170.2', port: 80 },
              { kind: 'ecr', name: 'ecr' },
            ],
          },
          { netns },
        );
        try {
          const relative = '/v2/credentials/6f1e2b1c-0d8a-4c9e-9d3b-1a2b3c4d5e6f';
          const env = cleanEnv(tempDir(), {
            AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
            AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative,
          });
          const helper = netns.wrap(HELPER_BIN, ['get']);
          const result = await runHelper({ bin: helper.file, args: helper.args, env, input: HOST });
          const seen = await fakes.snapshot();
          const ecs = seen.servers['ecs'];
          const ecr = seen.servers['ecr'];
          expect(ecs?.requests.map((request) => request.path)).toEqual([relative]);
          expect(ecs?.requests[0]?.host).toBe('169.254.170.2');
          expect(ecr).toBeDefined();
          if (ecr) expectSignedSuccess(result, ecr, ecs?.issued[0]);
          // The relative URI is a capability: whoever knows it gets the task's keys.
          expectNoSecrets(result.stdout + result.stderr, [relative], 'the output');
        } finally {
          await fakes.close();
        }
      } finally {
        await netns.close();
      }
    },
  );

  it('uses EKS Pod Identity: full URI plus the token file as the Authorization header', async () => {
    const podToken = `eks-pod-identity-token-${Date.now()}`;
    const fx = await startEcrFixture({
      authorization: podToken,
      credentialsPath: '/v1/credentials',
    });
    const tokenFile = join(fx.home, 'eks-pod-identity-token');
    writeFileSync(tokenFile, podToken);
    const result = await fx.get({
      env: fx.env({ AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile }),
    });
    const agent = fx.creds;
    expect(agent.requests.map((request) => request.headers.authorization)).toEqual([podToken]);
    expect(agent.requests[0]?.path).toBe('/v1/credentials');
    expectSignedSuccess(result, fx.ecr, agent.issued[0]);
    expectNoSecrets(result.stdout + result.stderr, [podToken], 'the output');
  });

  it('uses environment keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN)', async () => {
    const fx = await startEcrFixture({ containerCredentials: false });
    const key = fx.keys.issue();
    const result = await fx.get({ env: fx.env(keyEnv(key)) });
    expectSignedSuccess(result, fx.ecr, key);
  });

  it('uses a profile with credential_process (AWS_PROFILE)', async () => {
    const home = tempDir();
    const keys = new KeyStore();
    const key = keys.issue();
    const ecr = await startFakeEcr({ keys });
    try {
      const script = join(home, 'creds.sh');
      const output = JSON.stringify({
        Version: 1,
        AccessKeyId: key.accessKeyId,
        SecretAccessKey: key.secretAccessKey,
        SessionToken: key.sessionToken,
        Expiration: new Date(Date.now() + 3600_000).toISOString(),
      });
      writeFileSync(script, `#!/bin/sh\ncat <<'EOF'\n${output}\nEOF\n`);
      chmodSync(script, 0o700);
      mkdirSync(join(home, '.aws'), { recursive: true });
      writeFileSync(
        join(home, '.aws', 'config'),
        `[profile ci]\ncredential_process = ${script}\n\n[default]\nregion = us-west-2\n`,
      );
      const result = await runHelper({
        args: ['get'],
        input: HOST,
        env: cleanEnv(home, { AWS_ENDPOINT_URL_ECR: ecr.url, AWS_PROFILE: 'ci' }),
      });
      expectSignedSuccess(result, ecr, key);
    } finally {
      await ecr.close();
    }
  });

  it('uses web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN) through STS', async () => {
    const home = tempDir();
    const webToken = `oidc.${Buffer.from(`ci-${Date.now()}`).toString('base64url')}.sig`;
    const tokenFile = join(home, 'web-identity-token');
    writeFileSync(tokenFile, webToken);
    const keys = new KeyStore();
    const ecr = await startFakeEcr({ keys });
    const sts = await startFakeSts({ keys, expectedToken: webToken });
    try {
      const roleArn = 'arn:aws:iam::123456789012:role/ci-pull';
      const result = await runHelper({
        args: ['get'],
        input: HOST,
        env: cleanEnv(home, {
          AWS_ENDPOINT_URL_ECR: ecr.url,
          AWS_ENDPOINT_URL_STS: sts.url,
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_ROLE_ARN: roleArn,
        }),
      });
      expect(sts.calls).toHaveLength(1);
      expect(sts.calls[0]).toMatchObject({
        Action: 'AssumeRoleWithWebIdentity',
        RoleArn: roleArn,
        WebIdentityToken: webToken,
      });
      expectSignedSuccess(result, ecr, sts.issued[0]);
      expectNoSecrets(result.stdout + result.stderr, [webToken], 'the output');
    } finally {
      await ecr.close();
      await sts.close();
    }
  });
});

describe('assume-role profile', () => {
  it('assumes role_arn with the source_profile keys (both signatures verified)', async () => {
    const home = tempDir();
    const keys = new KeyStore();
    const source = keys.issue();
    const ecr = await startFakeEcr({ keys });
    const sts = await startFakeSts({ keys });
    try {
      mkdirSync(join(home, '.aws'), { recursive: true });
      writeFileSync(
        join(home, '.aws', 'credentials'),
        `[base]\naws_access_key_id = ${source.accessKeyId}\naws_secret_access_key = ${source.secretAccessKey}\naws_session_token = ${source.sessionToken ?? ''}\n`,
      );
      const roleArn = 'arn:aws:iam::210987654321:role/cross-account-pull';
      writeFileSync(
        join(home, '.aws', 'config'),
        `[profile app]\nrole_arn = ${roleArn}\nsource_profile = base\n`,
      );
      const result = await runHelper({
        args: ['get'],
        input: HOST,
        env: cleanEnv(home, {
          AWS_ENDPOINT_URL_ECR: ecr.url,
          AWS_ENDPOINT_URL_STS: sts.url,
          AWS_PROFILE: 'app',
        }),
      });
      expect(sts.calls).toHaveLength(1);
      expect(sts.calls[0]).toMatchObject({ Action: 'AssumeRole', RoleArn: roleArn });
      expect(sts.requests[0]?.verification).toMatchObject({
        ok: true,
        accessKeyId: source.accessKeyId,
        service: 'sts',
      });
      expectSignedSuccess(result, ecr, sts.issued[0]);
      expectNoSecrets(result.stdout + result.stderr, secretsOf([source]), 'the output');
    } finally {
      await ecr.close();
      await sts.close();
    }
  });
});

describe('EC2 instance profile (IMDS at 169.254.169.254, inside a namespace only)', () => {
  let netns: Netns | undefined;
  let fakes: FakesProcess | undefined;

  beforeAll(async () => {
    if (!netnsSupport().ok) return;
    netns = await createNetns({ addresses: ['169.254.169.254/32'] });
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'imds', name: 'imds', host: '169.254.169.254', port: 80 },
          { kind: 'ecr', name: 'ecr' },
        ],
      },
      { netns },
    );
  });

  afterAll(async () => {
    await fakes?.close();
    await netns?.close();
  });

  async function getInside(env: Record<string, string>): Promise<RunResult> {
    if (!netns) throw new Error('namespace setup failed');
    const helper = netns.wrap(HELPER_BIN, ['get']);
    return runHelper({ bin: helper.file, args: helper.args, env, input: HOST });
  }

  itWithNetns('IMDS')(
    'uses the instance profile through IMDSv2 (session token on every GET)',
    async () => {
      if (!fakes) throw new Error('no fakes');
      const env = cleanEnv(tempDir(), { AWS_ENDPOINT_URL_ECR: fakes.url('ecr') });
      delete env['AWS_EC2_METADATA_DISABLED'];
      const result = await getInside(env);
      const seen = await fakes.snapshot();
      const imds = seen.servers['imds'];
      expect(imds?.requests[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' });
      const gets = imds?.requests.filter((request) => request.method === 'GET') ?? [];
      expect(gets.length).toBeGreaterThan(0);
      expect(gets.every((request) => request.headers['x-aws-ec2-metadata-token'])).toBe(true);
      const ecr = seen.servers['ecr'];
      expect(ecr).toBeDefined();
      if (ecr) expectSignedSuccess(result, ecr, imds?.issued[0]);
    },
  );

  itWithNetns('IMDS')('AWS_EC2_METADATA_DISABLED=true stops every IMDS probe', async () => {
    if (!fakes) throw new Error('no fakes');
    const before = (await fakes.snapshot()).servers['imds']?.requests.length ?? 0;
    const result = await getInside(
      cleanEnv(tempDir(), {
        AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
        AWS_EC2_METADATA_DISABLED: 'true',
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^no AWS credentials found/);
    expect(result.stdout).toContain(
      'EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)',
    );
    const after = (await fakes.snapshot()).servers['imds']?.requests.length ?? 0;
    expect(after).toBe(before);
  });
});
