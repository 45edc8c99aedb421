/**
 * Universal-mode routes through the built helper (docs/universal-mode.md): a route's profile or role (assumed
 * through a fake STS that verifies the signature and the external id), aliases, Secrets Manager
 * logins from a fake Secrets Manager that verifies signatures, anonymous routes, and config errors.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr, type FakeEcr } from '../support/fake-aws';
import { startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager';
import { startFakeSts, type FakeSts } from '../support/fake-sts';
import { runHelper, type RunResult } from '../support/run-helper';

const LIBRARY = join(__dirname, '..', '..', 'dist', 'index.cjs');
import { expectNoSecrets, secretsOf } from '../support/secrets';
import type { IssuedKey } from '../support/sigv4';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();

const HOST = '210987654321.dkr.ecr.eu-central-1.amazonaws.com';
const ROLE = 'arn:aws:iam::210987654321:role/puller';
const HUB_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf';
const HUB_PASSWORD = 'hub-password-from-secrets-manager';
const NOT_FOUND = 'credentials not found in native keychain';

let keys: KeyStore;
let base: IssuedKey;
let ecr: FakeEcr;
let sts: FakeSts;
let secrets: FakeSecretsManager;

beforeEach(async () => {
  keys = new KeyStore();
  base = keys.issue();
  ecr = await startFakeEcr({ keys });
  sts = await startFakeSts({ keys, externalIds: { [ROLE]: 'x1' } });
  secrets = await startFakeSecretsManager({
    keys,
    secrets: {
      [HUB_SECRET]: JSON.stringify({ username: 'hub-robot', password: HUB_PASSWORD }),
      'broken-json': '{"username": "u", "password": "half-a-secret',
      'no-password': JSON.stringify({ username: 'u', pass: 'secret-under-wrong-key' }),
      'denied-secret': JSON.stringify({ username: 'u', password: 'never-read' }),
    },
    denied: ['denied-secret'],
  });
});

afterEach(async () => {
  await Promise.all([ecr.close(), sts.close(), secrets.close()]);
});

/** A home with a config file (or none), and the environment pointing at the fakes. */
function world(config?: unknown) {
  const home = tempDir();
  const file = join(home, '.config', 'docker-credential-ecr-ts', 'config.json');
  if (config !== undefined) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  }
  const env = cleanEnv(home, {
    AWS_ACCESS_KEY_ID: base.accessKeyId,
    AWS_SECRET_ACCESS_KEY: base.secretAccessKey,
    AWS_SESSION_TOKEN: base.sessionToken ?? '',
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
  });
  const get = (input: string, extra: Record<string, string> = {}): Promise<RunResult> =>
    runHelper({ args: ['get'], input, env: { ...env, ...extra } });
  return { home, file, env, get };
}

/**
 * Nothing secret in what the helper printed: no AWS key anywhere, and registry passwords only in
 * a successful answer on stdout (the protocol answer), never on stderr or in a failure line.
 */
function expectClean(result: RunResult): void {
  const passwords = [...ecr.passwords, HUB_PASSWORD];
  const keyParts = secretsOf([...keys.keys.values()]);
  expectNoSecrets(result.stdout + result.stderr, keyParts, 'the output');
  expectNoSecrets(
    result.code === 0 ? result.stderr : result.stdout + result.stderr,
    passwords,
    'stderr or a failure',
  );
}

/** A one-line failure (exit 1, stdout) that docker shows, with nothing secret in it. */
function expectFailure(result: RunResult): string {
  expect(result.code).toBe(1);
  const lines = result.stdout.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expectClean(result);
  return lines[0] ?? '';
}

describe('per-registry AWS identity', () => {
  it('assumes the route role through STS of the registry region, with its external id', async () => {
    const w = world({
      registries: {
        '210987654321.dkr.ecr.*.amazonaws.com': {
          roleArn: ROLE,
          externalId: 'x1',
          sessionName: 'ci',
        },
      },
    });
    const result = await w.get(HOST);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ServerURL: HOST,
      Username: 'AWS',
      Secret: ecr.passwords[0],
    });
    expect(sts.calls).toEqual([
      expect.objectContaining({
        Action: 'AssumeRole',
        RoleArn: ROLE,
        ExternalId: 'x1',
        RoleSessionName: 'ci',
      }),
    ]);
    // STS was signed by the base credentials, in the registry's region...
    expect(sts.requests[0]?.verification).toMatchObject({
      ok: true,
      accessKeyId: base.accessKeyId,
      region: 'eu-central-1',
      service: 'sts',
    });
    // ...and ECR by the role's.
    expect(ecr.requests.map((request) => request.verification)).toEqual([
      expect.objectContaining({
        ok: true,
        accessKeyId: sts.issued[0]?.accessKeyId,
        region: 'eu-central-1',
      }),
    ]);
    expectClean(result);

    // A second call is a cache hit: no STS, no ECR.
    expect(JSON.parse((await w.get(HOST)).stdout).Secret).toBe(ecr.passwords[0]);
    expect(sts.calls).toHaveLength(1);
    expect(ecr.tokenCalls()).toBe(1);

    // The default route for the same host never shares the role's token.
    const empty = join(w.home, 'empty-config.json');
    writeFileSync(empty, '{}');
    const plain = await w.get(HOST, { ECR_TS_CONFIG: empty });
    expect(JSON.parse(plain.stdout).Secret).toBe(ecr.passwords[1]);
    expect(ecr.requests[1]?.verification).toMatchObject({ accessKeyId: base.accessKeyId });
    expect(sts.calls).toHaveLength(1);
  });

  it('a wrong external id is refused by STS: one line naming the role, and no ECR call', async () => {
    const w = world({ registries: { [HOST]: { roleArn: ROLE, externalId: 'wrong' } } });
    const line = expectFailure(await w.get(HOST));
    expect(line).toContain(`sts:AssumeRole of ${ROLE}`);
    expect(line).toMatch(/^access denied getting AWS credentials from sts:AssumeRole/);
    expect(sts.requests[0]?.verification).toMatchObject({ ok: true });
    expect(ecr.requests).toHaveLength(0);
  });

  it('a route profile signs with that profile, not the environment keys', async () => {
    const prod = keys.issue();
    const w = world({ registries: { [HOST]: { profile: 'prod' } } });
    mkdirSync(join(w.home, '.aws'), { recursive: true });
    writeFileSync(
      join(w.home, '.aws', 'credentials'),
      `[prod]\naws_access_key_id = ${prod.accessKeyId}\naws_secret_access_key = ${prod.secretAccessKey}\naws_session_token = ${prod.sessionToken ?? ''}\n`,
    );
    const result = await w.get(HOST);
    expect(result.code).toBe(0);
    expect(ecr.requests[0]?.verification).toMatchObject({
      ok: true,
      accessKeyId: prod.accessKeyId,
    });
    expectClean(result);
  });

  it('an alias answers the target registry token for the host that was asked', async () => {
    const w = world({ registries: { 'ecr-proxy.example.com:5000': { ecr: HOST } } });
    const result = await w.get('https://ecr-proxy.example.com:5000/v2/');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ServerURL: 'https://ecr-proxy.example.com:5000/v2/',
      Username: 'AWS',
      Secret: ecr.passwords[0],
    });
    expect(ecr.requests[0]?.verification).toMatchObject({ ok: true, region: 'eu-central-1' });
  });
});

describe('Secrets Manager routes', () => {
  it('answers the secret login, signed in the region of the ARN, and caches it', async () => {
    const w = world({ registries: { 'index.docker.io': { secretsManager: HUB_SECRET } } });
    const result = await w.get('https://index.docker.io/v1/', { ECR_TS_LOG_LEVEL: 'debug' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ServerURL: 'https://index.docker.io/v1/',
      Username: 'hub-robot',
      Secret: HUB_PASSWORD,
    });
    expect(secrets.requests[0]?.verification).toMatchObject({
      ok: true,
      accessKeyId: base.accessKeyId,
      region: 'eu-west-1',
      service: 'secretsmanager',
    });
    // Debug logging on: the password still never reaches stderr.
    expectNoSecrets(result.stderr, [HUB_PASSWORD, ...secretsOf([base])], 'the debug log');
    await w.get('index.docker.io');
    expect(secrets.reads()).toBe(1);
  });

  it('with cacheSeconds 0 reads the secret on every call', async () => {
    const w = world({
      registries: { 'index.docker.io': { secretsManager: HUB_SECRET, cacheSeconds: 0 } },
    });
    await w.get('index.docker.io');
    await w.get('index.docker.io');
    expect(secrets.reads()).toBe(2);
  });

  it.each([
    [
      'broken-json',
      /the Secrets Manager secret "broken-json" is not valid JSON\. Store the registry login as a JSON object \{"username": "\.\.\.", "password": "\.\.\."\}/,
    ],
    ['no-password', /the Secrets Manager secret "no-password" has no "password" string/],
    [
      'denied-secret',
      /^access denied calling secretsmanager:GetSecretValue at http:\/\/127\.0\.0\.1:\d+ \(User: .* is not authorized to perform: secretsmanager:GetSecretValue on resource: denied-secret/,
    ],
    [
      'missing-secret',
      /^secretsmanager:GetSecretValue failed at http:\/\/127\.0\.0\.1:\d+ \(ResourceNotFoundException: Secrets Manager can't find the specified secret\.\)/,
    ],
  ])(
    'a secret that is %s fails with one line and nothing of it shown',
    async (secretId, expected) => {
      const w = world({
        registries: { 'ghcr.io': { secretsManager: secretId, region: 'us-west-2' } },
      });
      const result = await w.get('ghcr.io');
      const line = expectFailure(result);
      expect(line).toMatch(expected);
      expect(result.stdout + result.stderr).not.toMatch(
        /half-a-secret|secret-under-wrong-key|never-read/,
      );
      expect(secrets.requests.at(-1)?.verification).toMatchObject({
        ok: true,
        region: 'us-west-2',
      });
    },
  );
});

describe('the library', () => {
  it('getAuthConfig() follows the same routes: ECR role, alias, Secrets Manager, anonymous', async () => {
    const w = world({
      registries: {
        [HOST]: { roleArn: ROLE, externalId: 'x1' },
        'mirror.example.com': { ecr: HOST },
        'index.docker.io': { secretsManager: HUB_SECRET },
        'quay.io': { anonymous: true },
      },
    });
    const script = `
      const { getAuthConfig } = require(${JSON.stringify(LIBRARY)});
      (async () => {
        const answers = [];
        for (const image of process.argv.slice(1)) answers.push(await getAuthConfig(image) ?? null);
        process.stdout.write(JSON.stringify(answers));
      })().catch((error) => { process.stdout.write(String(error.message)); process.exit(1); });`;
    const result = await runHelper({
      bin: process.execPath,
      args: [
        '-e',
        script,
        `${HOST}/app:1`,
        'mirror.example.com/app:1',
        'node:24',
        'quay.io/org/app',
      ],
      env: w.env,
    });
    expect(result.code).toBe(0);
    const [ecrAuth, mirrorAuth, hubAuth, quayAuth] = JSON.parse(result.stdout) as unknown[];
    expect(ecrAuth).toEqual({ username: 'AWS', password: ecr.passwords[0], serveraddress: HOST });
    // The alias has its own identity (the default chain), so its token is another one.
    expect(mirrorAuth).toEqual({
      username: 'AWS',
      password: ecr.passwords[1],
      serveraddress: 'mirror.example.com',
    });
    expect(hubAuth).toEqual({
      username: 'hub-robot',
      password: HUB_PASSWORD,
      serveraddress: 'https://index.docker.io/v1/',
    });
    expect(quayAuth).toBeNull();
    expect(sts.calls).toHaveLength(1);
    expect(ecr.requests[0]?.verification).toMatchObject({
      accessKeyId: sts.issued[0]?.accessKeyId,
    });
    expect(ecr.requests[1]?.verification).toMatchObject({ accessKeyId: base.accessKeyId });
  });
});

describe('anonymous routes and config errors', () => {
  it('an anonymous route answers not-found at once, asking no one', async () => {
    const w = world({
      registries: { 'quay.io': { anonymous: true }, [HOST]: { anonymous: true } },
    });
    for (const host of ['quay.io', HOST]) {
      const result = await w.get(host);
      expect(result).toMatchObject({ code: 1, stdout: `${NOT_FOUND}\n`, stderr: '' });
    }
    expect(ecr.requests).toHaveLength(0);
  });

  it('a bad config file is one line naming the file and the key, exit 1, nothing else done', async () => {
    const w = world({ registries: { '*.corp': { helper: 3 } } });
    const result = await w.get(HOST);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${w.file}: registries["*.corp"].helper: expected a string\n`);
    expect(ecr.requests).toHaveLength(0);
  });

  it('version, -v, --help, -h and help work whatever the config file holds', async () => {
    const w = world('{"registries": {');
    for (const args of [
      ['version'],
      ['--version'],
      ['-v'],
      ['--help'],
      ['-h'],
      ['help'],
      ['help', 'get'],
    ]) {
      const result = await runHelper({ args, env: w.env });
      expect([args, result.code]).toEqual([args, 0]);
      expect(result.stdout).not.toContain('not valid JSON');
    }
  });

  it('a config file that is not JSON is one line too', async () => {
    const w = world('{"registries": {');
    const result = await w.get('ghcr.io');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`^${w.file.replace(/[.]/g, '\\.')}: not valid JSON \\(`),
    );
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('the config file is checked whole once per text', () => {
  const GOOD = { registries: { '*.corp': { helper: 'pass' }, [HOST]: {} } };
  // The same length, written at once: size and time stay as they were; only the text differs.
  const BAD = { registries: { '*.CORP': { helper: 'pass' }, [HOST]: {} } };

  it('a cache hit keeps a private record of the checked text; any edit is checked whole again', async () => {
    const w = world(GOOD);
    const records = () => {
      const dir = join(w.home, '.cache', 'docker-credential-ecr-ts');
      return readdirSync(dir)
        .filter((name) => name.endsWith('.checked'))
        .map((name) => join(dir, name));
    };
    for (let i = 0; i < 3; i += 1) expect((await w.get(HOST)).code).toBe(0);
    expect(ecr.tokenCalls()).toBe(1);
    const [record, ...more] = records();
    expect(more).toEqual([]);
    expect(statSync(record ?? '').mode & 0o777).toBe(0o600);

    expect(JSON.stringify(BAD)).toHaveLength(JSON.stringify(GOOD).length);
    writeFileSync(w.file, JSON.stringify(BAD));
    const refused = await w.get(HOST);
    expect(refused).toMatchObject({
      code: 1,
      stdout: `${w.file}: registries["*.CORP"]: expected a lower-case host name, got "*.CORP"\n`,
    });

    writeFileSync(w.file, JSON.stringify(GOOD));
    expect((await w.get(HOST)).code).toBe(0);
    expect(ecr.tokenCalls()).toBe(1);
  });
});
