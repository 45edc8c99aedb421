/**
 * What callers other than docker rely on (docs/clients.md), through the built helper: quiet
 * success in every mode, the host forms nerdctl sends, the exact not-found text the probes of
 * Testcontainers-Java, oras and Jib compare, GitLab Runner's list-then-get, Finch's combined
 * stdout and stderr and its AWS_ECR_* settings, and a `list` that survives a broken source. Each
 * emulation follows the caller's documented or published behaviour, cited in docs/clients.md.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr, type FakeEcr } from '../support/fake-aws';
import { startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager';
import { HELPER_BIN, runHelper, type RunResult } from '../support/run-helper';
import type { IssuedKey } from '../support/sigv4';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();

const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ECR_PROD = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const HUB_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf';
const HUB_PASSWORD = 'hub-password-from-secrets-manager';
const TOKEN = 'ecr-token-for-clients';
const NOT_FOUND = 'credentials not found in native keychain';

let keys: KeyStore;
let base: IssuedKey;
let ecr: FakeEcr;
let secrets: FakeSecretsManager;

beforeEach(async () => {
  keys = new KeyStore();
  base = keys.issue();
  ecr = await startFakeEcr({ keys, password: TOKEN });
  secrets = await startFakeSecretsManager({
    keys,
    secrets: { [HUB_SECRET]: JSON.stringify({ username: 'hub-robot', password: HUB_PASSWORD }) },
  });
});

afterEach(async () => {
  await Promise.all([ecr.close(), secrets.close()]);
});

/** Every kind of route, and a stub `docker-credential-vault` holding one login. */
const ROUTES = {
  fallback: 'file',
  registries: {
    [ECR]: {},
    [ECR_PROD]: { profile: 'prod' },
    'ecr-proxy.example.com': { ecr: ECR },
    'vault.example.com': { helper: 'vault' },
    'index.docker.io': { secretsManager: HUB_SECRET },
    'quay.io': { anonymous: true },
  },
};

const VAULT = `
input=$(cat)
case "$1" in
  get) case "$input" in
         vault.example.com) echo '{"ServerURL":"vault.example.com","Username":"v","Secret":"vault-pw"}' ;;
         *) echo "credentials not found in native keychain"; exit 1 ;;
       esac ;;
  list) echo '{"vault.example.com":"v"}' ;;
esac`;

/** A home with the helper's config file, a docker config folder, and the fakes in the env. */
function world(options: { config?: object | null; extra?: Record<string, string> } = {}) {
  const home = tempDir('ecr-ts-clients-');
  const bin = join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker-credential-vault'), `#!/bin/sh\n${VAULT}\n`);
  chmodSync(join(bin, 'docker-credential-vault'), 0o755);
  const config = options.config === undefined ? ROUTES : options.config;
  if (config !== null) {
    const dir = join(home, '.config', 'docker-credential-ecr-ts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  }
  const prod = keys.issue();
  mkdirSync(join(home, '.aws'));
  writeFileSync(
    join(home, '.aws', 'credentials'),
    `[prod]\naws_access_key_id = ${prod.accessKeyId}\naws_secret_access_key = ${prod.secretAccessKey}\naws_session_token = ${prod.sessionToken ?? ''}\n`,
  );
  const dockerConfig = join(home, '.docker');
  mkdirSync(dockerConfig);
  const env = cleanEnv(home, {
    PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    AWS_ACCESS_KEY_ID: base.accessKeyId,
    AWS_SECRET_ACCESS_KEY: base.secretAccessKey,
    AWS_SESSION_TOKEN: base.sessionToken ?? '',
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    ...options.extra,
  });
  const run = (action: string, input?: string, extra: Record<string, string> = {}) =>
    runHelper({
      args: [action],
      env: { ...env, ...extra },
      ...(input === undefined ? {} : { input }),
    });
  const dockerConfigFile = (value: object | string): void =>
    writeFileSync(
      join(dockerConfig, 'config.json'),
      typeof value === 'string' ? value : JSON.stringify(value),
    );
  return { home, env, run, dockerConfigFile };
}

const answer = (result: RunResult): unknown => JSON.parse(result.stdout);

describe('quiet success: no byte on stderr for any successful call, at the default log level', () => {
  it('cold, warm, routed, delegated, Secrets Manager, stored logins, list and version', async () => {
    const w = world();
    w.dockerConfigFile({ credsStore: 'ecr-ts', credHelpers: { [ECR]: 'ecr-ts' } });
    const calls: [string, string | undefined][] = [
      ['get', `${ECR}\n`], // cold: the API
      ['get', `${ECR}\n`], // warm: the cache
      ['get', 'ecr-proxy.example.com\n'], // an alias
      ['get', `${ECR_PROD}\n`], // a profile route
      ['get', 'vault.example.com\n'], // delegated
      ['get', 'index.docker.io\n'], // Secrets Manager
      ['store', '{"ServerURL":"ghcr.io","Username":"octocat","Secret":"gh-pw"}'],
      ['get', 'ghcr.io\n'], // the file store
      ['store', `{"ServerURL":"${ECR}","Username":"AWS","Secret":"ignored"}`],
      ['erase', 'ghcr.io\n'],
      ['erase', `${ECR}\n`],
      ['list', undefined], // stdin left open, as docker-py leaves it
      ['version', undefined],
    ];
    for (const [action, input] of calls) {
      const result = await w.run(action, input);
      expect({ action, input, code: result.code, stderr: result.stderr }).toEqual({
        action,
        input,
        code: 0,
        stderr: '',
      });
    }
    expect(ecr.tokenCalls()).toBe(2); // the default identity once, the profile once
  });

  it('not-found is quiet too: it is the normal answer for a registry that is not ECR', async () => {
    const w = world();
    for (const input of ['quay.io\n', 'registry.example.com\n']) {
      expect(await w.run('get', input)).toMatchObject({
        code: 1,
        stdout: `${NOT_FOUND}\n`,
        stderr: '',
      });
    }
  });
});

describe('host forms: host:443, https://host:443, http://host and https://host/v2/ are host', () => {
  const FORMS = (host: string) => [
    `${host}:443`,
    `https://${host}:443`,
    `http://${host}`,
    `https://${host}/v2/`,
  ];

  it.each([
    ['an ECR host', ECR, 'AWS', TOKEN],
    ['an alias route', 'ecr-proxy.example.com', 'AWS', TOKEN],
    ['a Secrets Manager route', 'index.docker.io', 'hub-robot', HUB_PASSWORD],
    ['a delegated helper (it is asked with the bare host)', 'vault.example.com', 'v', 'vault-pw'],
  ])(
    '%s: each form answers the credentials of the host, ServerURL as given',
    async (_, host, user, secret) => {
      const w = world();
      const forms = host === 'vault.example.com' ? [] : FORMS(host);
      for (const form of [host, ...forms]) {
        const result = await w.run('get', `${form}\n`);
        expect([form, result.code, result.stderr]).toEqual([form, 0, '']);
        expect(answer(result)).toEqual({ ServerURL: form, Username: user, Secret: secret });
      }
    },
  );

  it('the file store: a login stored for the host answers every form of it', async () => {
    const w = world();
    const stored = await w.run(
      'store',
      '{"ServerURL":"registry.example.com","Username":"robot","Secret":"store-pw"}',
    );
    expect(stored.code).toBe(0);
    for (const form of FORMS('registry.example.com')) {
      const result = await w.run('get', `${form}\n`);
      expect(answer(result)).toEqual({ ServerURL: form, Username: 'robot', Secret: 'store-pw' });
    }
    // Another port is another registry.
    expect((await w.run('get', 'registry.example.com:5000\n')).stdout).toBe(`${NOT_FOUND}\n`);
  });
});

/**
 * nerdctl's lookup (pkg/imgutil/dockerconfigresolver: RegistryURL.AllIdentifiers and
 * CredentialsStore.Retrieve): each identifier in turn, not-found moves on, the first answer with
 * a user name or secret ends it.
 */
async function nerdctlRetrieve(
  run: (input: string) => Promise<RunResult>,
  host: string,
): Promise<{ asked: string[]; answer?: { Username: string; Secret: string } }> {
  const identifiers = [
    `${host}:443`,
    `https://${host}:443`,
    `http://${host}:443`,
    host,
    `https://${host}`,
    `http://${host}`,
  ];
  const asked: string[] = [];
  for (const identifier of identifiers) {
    asked.push(identifier);
    const result = await run(identifier);
    if (result.code !== 0) continue;
    const parsed = JSON.parse(result.stdout) as { Username: string; Secret: string };
    if (parsed.Username || parsed.Secret) return { asked, answer: parsed };
  }
  return { asked };
}

describe("nerdctl's host variants", () => {
  it.each([
    ['an ECR host', ECR, 'AWS', TOKEN],
    ['an alias route', 'ecr-proxy.example.com', 'AWS', TOKEN],
    ['a login in the file store', 'registry.example.com', 'robot', 'store-pw'],
  ])('%s is answered at the first variant, host:443', async (_, host, user, secret) => {
    const w = world();
    await w.run(
      'store',
      '{"ServerURL":"registry.example.com","Username":"robot","Secret":"store-pw"}',
    );
    const found = await nerdctlRetrieve((input) => w.run('get', input), host);
    expect(found).toEqual({
      asked: [`${host}:443`],
      answer: expect.objectContaining({ Username: user, Secret: secret }),
    });
  });
});

describe('the exact not-found text, for callers that compare stdout', () => {
  it.each([
    ['the Testcontainers-Java probe', 'https://not.a.real.registry/url\n', ROUTES],
    ['the probe, with no config file', 'https://not.a.real.registry/url\n', null],
    [
      'the probe, ECR-only (fallback none)',
      'https://not.a.real.registry/url\n',
      { fallback: 'none' },
    ],
    ['a non-ECR host, ECR-only', 'registry.example.com\n', { fallback: 'none' }],
    [
      'a non-ECR host without a trailing newline (Jib)',
      'registry.example.com',
      { fallback: 'none' },
    ],
    ['a non-ECR URL without a newline', 'https://ghcr.io/v2/', null],
  ])('%s: exit 1, stdout exactly the text, nothing on stderr', async (_, input, config) => {
    const w = world({ config });
    expect(await w.run('get', input)).toMatchObject({
      code: 1,
      stdout: `${NOT_FOUND}\n`,
      stderr: '',
    });
    expect(ecr.tokenCalls()).toBe(0);
  });

  it('an ECR host without a trailing newline (Jib) gets its token', async () => {
    const w = world({ config: null });
    const result = await w.run('get', ECR);
    expect(answer(result)).toEqual({ ServerURL: ECR, Username: 'AWS', Secret: TOKEN });
  });
});

/**
 * GitLab Runner with `credsStore` (helpers/docker/auth/auth.go) reads the store through docker's
 * native store GetAll: `list`, then `get` for each listed server; not-found is an empty login,
 * any other failure drops every credential of that config.
 */
async function gitlabRunnerLogins(
  run: (action: string, input?: string) => Promise<RunResult>,
): Promise<Record<string, { Username?: string; Secret?: string }>> {
  const listed = await run('list');
  if (listed.code !== 0) throw new Error(`list failed: every credential dropped: ${listed.stdout}`);
  const logins: Record<string, { Username?: string; Secret?: string }> = {};
  for (const serverUrl of Object.keys(JSON.parse(listed.stdout) as object)) {
    const got = await run('get', serverUrl);
    if (got.code !== 0 && got.stdout.trim() === NOT_FOUND) {
      logins[serverUrl] = {};
      continue;
    }
    if (got.code !== 0) throw new Error(`get ${serverUrl} failed: every credential dropped`);
    const { Username, Secret } = JSON.parse(got.stdout) as { Username: string; Secret: string };
    logins[serverUrl] = { Username, Secret };
  }
  return logins;
}

describe("GitLab Runner's list-then-get (credsStore), on a cold cache", () => {
  it('every configured registry is listed and answered: ECR, Secrets Manager, the file store', async () => {
    // DOCKER_AUTH_CONFIG is the runner's, not a file the helper reads: the helper's own config
    // names the registries (configure --store REGISTRY writes such keys).
    const w = world();
    await w.run('store', '{"ServerURL":"ghcr.io","Username":"octocat","Secret":"gh-pw"}');
    const logins = await gitlabRunnerLogins(w.run);
    expect(logins).toEqual({
      'ghcr.io': { Username: 'octocat', Secret: 'gh-pw' },
      'vault.example.com': { Username: 'v', Secret: 'vault-pw' },
      [ECR]: { Username: 'AWS', Secret: TOKEN },
      [ECR_PROD]: { Username: 'AWS', Secret: TOKEN },
      'ecr-proxy.example.com': { Username: 'AWS', Secret: TOKEN },
      'index.docker.io': { Username: 'hub-robot', Secret: HUB_PASSWORD },
    });
  });

  it('configure --store REGISTRY names the registry; list names it before any get', async () => {
    const w = world({ config: null });
    const result = await runHelper({ args: ['configure', '--store', ECR], env: w.env, input: '' });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`added registries[${JSON.stringify(ECR)}] = {}`);
    // A runner without ~/.docker/config.json (DOCKER_AUTH_CONFIG lives in the job's env).
    const bare = { ...w.env, DOCKER_CONFIG: join(w.home, 'no-docker-config') };
    const logins = await gitlabRunnerLogins((action, input) =>
      runHelper({ args: [action], env: bare, ...(input === undefined ? {} : { input }) }),
    );
    expect(logins).toEqual({ [ECR]: { Username: 'AWS', Secret: TOKEN } });
  });

  it('a broken docker config and a damaged file store: list warns, lists the rest, exits 0', async () => {
    const w = world();
    w.dockerConfigFile('{"credHelpers": {');
    const store = join(w.home, '.local', 'share', 'docker-credential-ecr-ts');
    mkdirSync(store, { recursive: true, mode: 0o700 });
    writeFileSync(join(store, 'credentials.json'), 'not json', { mode: 0o600 });
    const listed = await w.run('list');
    expect(listed.code).toBe(0);
    expect(answer(listed)).toEqual({
      'vault.example.com': 'v',
      [ECR]: 'AWS',
      [ECR_PROD]: 'AWS',
      'ecr-proxy.example.com': 'AWS',
      'index.docker.io': '',
    });
    const warnings = listed.stderr.trim().split('\n');
    expect(warnings).toEqual([
      expect.stringMatching(
        /^docker-credential-ecr-ts: warn: list: skipping the file store: .* is damaged/,
      ),
      expect.stringMatching(
        /^docker-credential-ecr-ts: warn: list: skipping the docker config: .*config\.json: not valid JSON at line 1, column 18$/,
      ),
    ]);
    expect(ecr.tokenCalls()).toBe(0);
  });

  it('list names configured ECR registries with the cache off too, and makes no AWS call', async () => {
    const w = world({ extra: { AWS_ECR_DISABLE_CACHE: 'true' } });
    w.dockerConfigFile({ credsStore: 'ecr-ts', auths: { 'public.ecr.aws': {} } });
    const listed = await w.run('list');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(answer(listed)).toMatchObject({ [ECR]: 'AWS', 'public.ecr.aws': 'AWS' });
    expect(ecr.tokenCalls()).toBe(0);
  });
});

/**
 * Finch on macOS (pkg/credserver): runs the host's helper with stdin the bare host (no newline),
 * reads stdout and stderr combined as the JSON answer, and lets only a few variables of the VM
 * through, the AWS_ECR_* settings among them.
 */
function finchGet(
  env: Record<string, string>,
  host: string,
): Promise<{ code: number | null; combined: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'exec "$0" get 2>&1', HELPER_BIN], {
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let combined = '';
    child.stdout.on('data', (chunk: Buffer) => (combined += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, combined }));
    child.stdin.end(host);
  });
}

describe("Finch's combined stdout and stderr, and the AWS_ECR_* names it passes", () => {
  it('the combined output parses as the answer, cold and warm, with AWS_ECR_CACHE_DIR', async () => {
    const w = world({ config: null });
    const cache = join(w.home, 'finch-cache');
    const env = { ...w.env, AWS_ECR_CACHE_DIR: cache };
    for (let i = 0; i < 2; i += 1) {
      const result = await finchGet(env, ECR);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.combined)).toEqual({
        ServerURL: ECR,
        Username: 'AWS',
        Secret: TOKEN,
      });
    }
    expect(ecr.tokenCalls()).toBe(1);
    expect(readdirSync(cache).filter((name) => name.endsWith('.json'))).toHaveLength(1);
  });

  it('AWS_ECR_DISABLE_CACHE: every call asks the API, nothing is written', async () => {
    const w = world({ config: null });
    const cache = join(w.home, 'finch-cache');
    const env = { ...w.env, AWS_ECR_CACHE_DIR: cache, AWS_ECR_DISABLE_CACHE: 'true' };
    for (let i = 0; i < 2; i += 1) {
      expect(JSON.parse((await finchGet(env, ECR)).combined)).toMatchObject({ Secret: TOKEN });
    }
    expect(ecr.tokenCalls()).toBe(2);
    expect(() => readdirSync(cache)).toThrow(/ENOENT/);
  });

  it('AWS_ECR_IGNORE_CREDS_STORAGE=true: a login nothing can keep succeeds, keeping nothing', async () => {
    const w = world({ config: { fallback: 'none' } });
    const login = '{"ServerURL":"registry.example.com","Username":"u","Secret":"p"}';
    expect((await w.run('store', login)).code).toBe(1);
    expect(await w.run('store', login, { AWS_ECR_IGNORE_CREDS_STORAGE: 'true' })).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });
});
