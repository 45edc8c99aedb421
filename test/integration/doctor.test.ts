/**
 * `doctor` against fakes: inside a network namespace the ECR host name resolves to a fake
 * registry on 127.0.0.1:443 (TLS from a test CA), next to a fake ECR API, STS and container
 * credential endpoint. Each failure doctor names is provoked once, and its report must point at
 * the right link: the token (permission one), the registry, the manifest (permission two), the
 * docker config, PATH, or the credentials. No secret may appear in what it prints.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { startFakesProcess, type FakesProcess } from '../support/fake-aws-process';
import { CALLER_ARN } from '../support/fake-sts';
import { createNetns, itWithNetns, netnsSupport, type Netns } from '../support/netns';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';
import { createTestCa, type TestCa } from '../support/tls';
import { ECR_HOST } from '../support/registry-host';

scrubProcessEnv();
const tempDir = useTempDirs();

const PASSWORD = `ecr-${randomBytes(24).toString('base64url')}`;
/** A registry in front of ECR on another port (the README's alias example). */
const CACHE_HOST = 'ecr-cache.example.com';
/** A registry whose login a Secrets Manager secret holds. */
const HUB_HOST = 'registry.example.com';
const SM_USER = 'smuser';
const SM_PASSWORD = `sm-${randomBytes(24).toString('base64url')}`;
/** What doctor must never print: the passwords, and the Basic values made from them. */
const PRINTED_NEVER = [
  PASSWORD,
  `${PASSWORD}-elsewhere`,
  SM_PASSWORD,
  Buffer.from(`AWS:${PASSWORD}`).toString('base64'),
  Buffer.from(`${SM_USER}:${SM_PASSWORD}`).toString('base64'),
];
const NAMES = [
  'docker-config',
  'helper-on-path',
  'route',
  'aws-credentials',
  'caller-identity',
  'authorization-token',
  'registry',
  'image',
];

interface Check {
  readonly name: string;
  readonly ok: boolean | null;
  readonly detail: string;
  readonly hint?: string;
}

describe('doctor', () => {
  let netns: Netns | undefined;
  let fakes: FakesProcess | undefined;
  let ca: TestCa | undefined;

  beforeAll(async () => {
    if (!netnsSupport().ok) return;
    ca = await createTestCa();
    const leaf = await ca.issue({ dns: [ECR_HOST, CACHE_HOST, HUB_HOST] });
    netns = await createNetns({
      hosts: { [ECR_HOST]: '127.0.0.1', [CACHE_HOST]: '127.0.0.1', [HUB_HOST]: '127.0.0.1' },
    });
    fakes = await startFakesProcess(
      {
        servers: [
          { kind: 'ecr', name: 'ecr', password: PASSWORD },
          // Issues tokens the registry does not accept (another region's, say).
          { kind: 'ecr', name: 'ecr-elsewhere', password: `${PASSWORD}-elsewhere` },
          { kind: 'credentials', name: 'credentials' },
          { kind: 'sts', name: 'sts' },
          {
            kind: 'registry',
            name: 'registry',
            host: '127.0.0.1',
            port: 443,
            tls: leaf,
            username: 'AWS',
            password: PASSWORD,
            images: { app: ['1'], 'team/denied': ['1'] },
            denied: ['team/denied'],
          },
          // The same ECR behind an alias on port 5000.
          {
            kind: 'registry',
            name: 'cache',
            host: '127.0.0.1',
            port: 5000,
            tls: leaf,
            username: 'AWS',
            password: PASSWORD,
            images: { app: ['1'] },
          },
          // A registry that takes the login in a Secrets Manager secret.
          {
            kind: 'registry',
            name: 'hub',
            host: '127.0.0.1',
            port: 5001,
            tls: leaf,
            username: SM_USER,
            password: SM_PASSWORD,
            images: { app: ['1'] },
          },
          {
            kind: 'secrets-manager',
            name: 'sm',
            secrets: { 'hub-login': JSON.stringify({ username: SM_USER, password: SM_PASSWORD }) },
          },
        ],
      },
      { netns },
    );
  });

  afterAll(async () => {
    await fakes?.close();
    await netns?.close();
    ca?.cleanup();
  });

  /**
   * A home with the helper on PATH and a docker config naming it for the ECR host (or for
   * `hosts`), and, given `routes`, a universal-mode config file with them.
   */
  function world(
    options: {
      credHelper?: string;
      onPath?: boolean;
      hosts?: readonly string[];
      routes?: Record<string, unknown>;
    } = {},
  ) {
    if (!fakes || !ca) throw new Error('namespace setup failed');
    const home = tempDir('ecr-ts-doctor-');
    const bin = join(home, 'bin');
    mkdirSync(bin);
    if (options.onPath !== false) symlinkSync(HELPER_BIN, join(bin, 'docker-credential-ecr-ts'));
    const dockerConfig = join(home, 'docker');
    mkdirSync(dockerConfig);
    const helper = options.credHelper ?? 'ecr-ts';
    const hosts = options.hosts ?? [ECR_HOST];
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ credHelpers: Object.fromEntries(hosts.map((host) => [host, helper])) }),
    );
    const base = cleanEnv(home);
    const routes = options.routes
      ? { ECR_TS_CONFIG: join(home, 'ecr-ts.json') }
      : ({} as Record<string, string>);
    if (options.routes) {
      writeFileSync(join(home, 'ecr-ts.json'), JSON.stringify({ registries: options.routes }));
    }
    const env: Record<string, string> = {
      ...base,
      PATH: `${bin}:${base['PATH'] ?? '/usr/bin:/bin'}`,
      DOCKER_CONFIG: dockerConfig,
      NODE_EXTRA_CA_CERTS: ca.certPath,
      AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
      AWS_ENDPOINT_URL_STS: fakes.url('sts'),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fakes.url('sm'),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fakes.url('credentials')}/v1/credentials`,
      ECR_TS_TIMEOUT: '5',
      ...routes,
    };
    return { home, bin, env };
  }

  /** Runs `doctor args --json` inside the namespace; returns the checks by name. */
  async function doctor(env: Record<string, string>, target: string) {
    if (!netns || !fakes) throw new Error('namespace setup failed');
    const command = netns.wrap(HELPER_BIN, ['doctor', target, '--json']);
    const result = await runHelper({ bin: command.file, args: command.args, env, input: '' });
    const snapshot = await fakes.snapshot();
    const secrets = [...secretsOf(snapshot.keys), ...PRINTED_NEVER];
    expectNoSecrets(result.stdout + result.stderr, secrets, 'doctor output');
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: Check[] };
    expect(report.checks.map((check) => check.name)).toEqual(NAMES);
    const by = Object.fromEntries(report.checks.map((check) => [check.name, check]));
    return { result, report, by: by as Record<string, Check> };
  }

  const image = (path: string) => `${ECR_HOST}/${path}`;

  itWithNetns('doctor, healthy chain')(
    'passes every check of a healthy chain, exit 0',
    async () => {
      const { env } = world();
      const { result, report, by } = await doctor(env, image('app:1'));
      expect(report.checks.filter((check) => check.ok !== true)).toEqual([]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(by['docker-config']?.detail).toContain(`credHelpers["${ECR_HOST}"]`);
      expect(by['helper-on-path']?.detail).toMatch(
        /docker-credential-ecr-ts \(npm:docker-credential-ecr-ts\) /,
      );
      expect(by['aws-credentials']?.detail).toMatch(
        /temporary credentials from container credentials endpoint http:\/\/127\.0\.0\.1:\d+ \(AWS_CONTAINER_CREDENTIALS_FULL_URI\); expire /,
      );
      expect(by['caller-identity']?.detail).toBe(`account 123456789012, ${CALLER_ARN}`);
      expect(by['authorization-token']?.detail).toMatch(
        /^ecr:GetAuthorizationToken at http:\/\/127\.0\.0\.1:\d+ answered in .*; cache: no entry$/,
      );
      expect(by['registry']?.detail).toBe(
        `GET https://${ECR_HOST}/v2/ with the token: HTTP 200 (basic auth)`,
      );
      expect(by['image']?.detail).toMatch(
        /^app:1: manifest sha256:[0-9a-f]{64} \(application\/vnd\.oci\.image\.manifest\.v1\+json\)$/,
      );
    },
  );

  itWithNetns('doctor, route role')(
    "a route naming a role: doctor assumes it as get does, and reads that route's cache entry",
    async () => {
      if (!netns) throw new Error('namespace setup failed');
      const { env, home } = world();
      const role = 'arn:aws:iam::123456789012:role/puller';
      const file = join(home, 'ecr-ts.json');
      writeFileSync(file, JSON.stringify({ registries: { [ECR_HOST]: { roleArn: role } } }));
      const routed = { ...env, ECR_TS_CONFIG: file };
      // A get caches the role's token, under the route's identity, not the default one's.
      const get = netns.wrap(HELPER_BIN, ['get']);
      const got = await runHelper({ bin: get.file, args: get.args, env: routed, input: ECR_HOST });
      expect(got.code).toBe(0);
      const { result, by } = await doctor(routed, image('app:1'));
      expect(result.code).toBe(0);
      expect(by['route']?.detail).toContain(`as role ${role}`);
      expect(by['aws-credentials']?.detail).toMatch(
        /^role arn:aws:iam::123456789012:role\/puller assumed with sts:AssumeRole at http:\/\/127\.0\.0\.1:\d+, signed with temporary credentials from container credentials endpoint .*; expire /,
      );
      expect(by['caller-identity']?.detail).toBe(
        'account 123456789012, arn:aws:sts::123456789012:assumed-role/puller/docker-credential-ecr-ts',
      );
      expect(by['authorization-token']?.detail).toMatch(/; cache: fresh until /);
      // Without the route, the default identity has no entry: the two are kept apart.
      const plain = await doctor(env, image('app:1'));
      expect(plain.by['authorization-token']?.detail).toMatch(/; cache: no entry$/);
      expect(plain.by['caller-identity']?.detail).toBe(`account 123456789012, ${CALLER_ARN}`);
    },
  );

  itWithNetns('doctor, denied token')(
    'a denied GetAuthorizationToken fails the token check, and names the permission',
    async () => {
      const { env } = world();
      await fakes?.setFaults('ecr', [], 'access-denied');
      try {
        const { result, by } = await doctor(env, image('app:1'));
        expect(result.code).toBe(1);
        expect(by['caller-identity']?.ok).toBe(true);
        expect(by['authorization-token']).toMatchObject({ ok: false });
        expect(by['authorization-token']?.detail).toMatch(
          /access denied calling ecr:GetAuthorizationToken .*is not authorized to perform: ecr:GetAuthorizationToken/,
        );
        expect(by['authorization-token']?.hint).toMatch(
          /Grant ecr:GetAuthorizationToken .*first of the two places/,
        );
        expect(by['registry']?.ok).toBeNull();
        expect(by['image']?.ok).toBeNull();
      } finally {
        await fakes?.setFaults('ecr', [], 'ok');
      }
    },
  );

  itWithNetns('doctor, token refused')(
    'a registry answering 401 to the token fails the registry check',
    async () => {
      const { env } = world();
      const { result, by } = await doctor(
        { ...env, AWS_ENDPOINT_URL_ECR: fakes?.url('ecr-elsewhere') ?? '' },
        image('app:1'),
      );
      expect(result.code).toBe(1);
      expect(by['authorization-token']?.ok).toBe(true);
      expect(by['registry']).toMatchObject({ ok: false });
      expect(by['registry']?.detail).toContain('refused the token: HTTP 401 (UNAUTHORIZED');
      expect(by['registry']?.hint).toMatch(/region/);
      expect(by['image']?.ok).toBe(false);
    },
  );

  itWithNetns('doctor, manifest denied')(
    '403 DENIED on the manifest names the missing pull permission (permission two)',
    async () => {
      const { env } = world();
      const { result, by } = await doctor(env, image('team/denied:1'));
      expect(result.code).toBe(1);
      expect(by['authorization-token']?.ok).toBe(true);
      expect(by['registry']?.ok).toBe(true);
      expect(by['image']).toMatchObject({ ok: false });
      expect(by['image']?.detail).toMatch(
        /^team\/denied:1: reading the manifest was denied: HTTP 403 \(DENIED: User: .* ecr:BatchGetImage/,
      );
      expect(by['image']?.hint).toContain(
        `Grant ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on repository team/denied to ${CALLER_ARN}`,
      );
      expect(by['image']?.hint).toContain('second place');
    },
  );

  itWithNetns('doctor, missing repository')(
    '404 NAME_UNKNOWN says the repository is missing',
    async () => {
      const { env } = world();
      const { by } = await doctor(env, image('nope/app:1'));
      expect(by['image']).toMatchObject({ ok: false });
      expect(by['image']?.detail).toMatch(/repository nope\/app does not exist in .*NAME_UNKNOWN/);
      expect(by['image']?.hint).toContain('create-repository');
    },
  );

  itWithNetns('doctor, missing tag')(
    '404 MANIFEST_UNKNOWN says the tag is missing, not the repository',
    async () => {
      const { env } = world();
      const { by } = await doctor(env, image('app:2'));
      expect(by['image']).toMatchObject({ ok: false });
      expect(by['image']?.detail).toMatch(
        /^app:2: no image 2 in repository app: HTTP 404 \(MANIFEST_UNKNOWN/,
      );
      expect(by['image']?.hint).toContain(
        'aws ecr list-images --repository-name app --region eu-west-1',
      );
    },
  );

  itWithNetns('doctor, another helper')(
    'docker wired to another helper fails docker-config and helper-on-path',
    async () => {
      const { env, bin } = world({ credHelper: 'ecr-login' });
      const other = join(bin, 'docker-credential-ecr-login');
      writeFileSync(
        other,
        '#!/bin/sh\necho "amazon-ecr-credential-helper"\necho "Version:    0.9.0"\n',
      );
      chmodSync(other, 0o755);
      const { result, by } = await doctor(env, image('app:1'));
      expect(result.code).toBe(1);
      expect(by['docker-config']).toMatchObject({ ok: false });
      expect(by['docker-config']?.detail).toContain('runs docker-credential-ecr-login');
      expect(by['docker-config']?.hint).toBe(`Run: docker-credential-ecr-ts configure ${ECR_HOST}`);
      expect(by['helper-on-path']).toMatchObject({ ok: false });
      expect(by['helper-on-path']?.detail).toContain(`${other} is another credential helper`);
      // The helper's own side still works: the report says so.
      expect(by['image']?.ok).toBe(true);
    },
  );

  itWithNetns('doctor, not on PATH')(
    'a helper missing from PATH fails helper-on-path',
    async () => {
      const { env } = world({ onPath: false });
      const { result, by } = await doctor(env, image('app:1'));
      expect(result.code).toBe(1);
      expect(by['docker-config']?.ok).toBe(true);
      expect(by['helper-on-path']).toMatchObject({
        ok: false,
        detail: 'docker-credential-ecr-ts is not on PATH',
      });
      expect(by['helper-on-path']?.hint).toContain('install.sh');
    },
  );

  itWithNetns('doctor, no credentials')(
    'no credentials at all fails aws-credentials and skips what needs them',
    async () => {
      const { env } = world();
      const bare = { ...env };
      delete bare['AWS_CONTAINER_CREDENTIALS_FULL_URI'];
      const { result, by } = await doctor(bare, image('app:1'));
      expect(result.code).toBe(1);
      expect(by['aws-credentials']).toMatchObject({ ok: false });
      expect(by['aws-credentials']?.detail).toMatch(
        /^no AWS credentials found to call ecr:GetAuthorizationToken\. Sources tried: /,
      );
      for (const name of ['caller-identity', 'authorization-token', 'registry', 'image']) {
        expect(by[name]?.ok).toBeNull();
      }
    },
  );

  itWithNetns('doctor, hung endpoint')(
    'a hung credential endpoint fails its step at the bound, and the run ends',
    async () => {
      const { env } = world();
      await fakes?.setFaults('credentials', [], 'hang');
      try {
        const { result, by } = await doctor({ ...env, ECR_TS_TIMEOUT: '1' }, image('app:1'));
        expect(result.code).toBe(1);
        expect(by['aws-credentials']).toMatchObject({ ok: false });
        expect(by['aws-credentials']?.detail).toMatch(
          /^timed out (after 1 s while waiting for|getting) AWS credentials from container credentials endpoint/,
        );
      } finally {
        await fakes?.setFaults('credentials', [], 'ok');
      }
    },
  );

  itWithNetns('doctor, helper name')(
    'runs nothing for a helper name from the docker config that leaves PATH',
    async () => {
      const { env, home } = world();
      const marker = join(home, 'ran');
      const planted = join(home, 'planted.sh');
      writeFileSync(
        planted,
        `#!/bin/sh\necho ran > ${marker}\necho "docker-credential-ecr-ts 0.1.0"\n`,
      );
      chmodSync(planted, 0o755);
      // `docker-credential-` + this, joined to a PATH folder, climbs to the root and down to it.
      const name = `${'../'.repeat(30)}${planted.slice(1)}`;
      const docker = join(env['DOCKER_CONFIG'] ?? '', 'config.json');
      writeFileSync(docker, JSON.stringify({ credsStore: name }));
      const { result, by } = await doctor(env, image('app:1'));
      expect(existsSync(marker)).toBe(false);
      expect(result.code).toBe(1);
      expect(by['docker-config']).toMatchObject({ ok: false });
      expect(by['docker-config']?.detail).toContain(
        `credsStore names ${JSON.stringify(name)}, which is not a credential helper name`,
      );
      expect(by['helper-on-path']).toMatchObject({ ok: null });
    },
  );

  itWithNetns('doctor, version with a child')(
    'a helper whose `version` leaves a child holding stdout answers at once, as get takes it',
    async () => {
      const { env, bin } = world({ onPath: false });
      const helper = join(bin, 'docker-credential-ecr-ts');
      writeFileSync(
        helper,
        '#!/bin/sh\necho "docker-credential-ecr-ts (npm:docker-credential-ecr-ts) 9.9.9"\n(sleep 30) &\n',
      );
      chmodSync(helper, 0o755);
      const { by } = await doctor(env, image('app:1'));
      expect(by['helper-on-path']).toMatchObject({
        ok: true,
        detail: expect.stringMatching(/ 9\.9\.9 \(this doctor is /),
      });
    },
  );

  itWithNetns('doctor, port alias')(
    'a route key with a port (the README alias): doctor follows the alias to ECR, as get does',
    async () => {
      const alias = `${CACHE_HOST}:5000`;
      const { env } = world({ hosts: [alias], routes: { [alias]: { ecr: ECR_HOST } } });
      const { result, report, by } = await doctor(env, `${alias}/app:1`);
      expect(report.checks.filter((check) => check.ok !== true)).toEqual([]);
      expect(result.code).toBe(0);
      expect(by['route']?.detail).toMatch(`${alias}: alias of ${ECR_HOST}, private ECR`);
      expect(by['registry']?.detail).toBe(
        `GET https://${alias}/v2/ with the token: HTTP 200 (basic auth)`,
      );
      const url = await doctor(env, `https://${alias}/`);
      expect(url.by['route']?.detail).toMatch(`${alias}: alias of ${ECR_HOST}`);
      expect(url.by['registry']?.ok).toBe(true);
    },
  );

  itWithNetns('doctor, writes nothing')(
    'writes nothing into the cache folder (no record that the config file was checked)',
    async () => {
      const { env, home } = world({ routes: { [`${CACHE_HOST}:5000`]: { ecr: ECR_HOST } } });
      const cache = join(home, '.cache', 'docker-credential-ecr-ts');
      mkdirSync(cache, { recursive: true, mode: 0o700 });
      chmodSync(cache, 0o700);
      const { by } = await doctor(env, image('app:1'));
      expect(by['image']?.ok).toBe(true);
      expect(readdirSync(cache)).toEqual([]);
    },
  );

  itWithNetns('doctor, missing route helper')(
    'a route to a helper missing from PATH fails the route check, as get would fail',
    async () => {
      const { env } = world({ hosts: [HUB_HOST], routes: { [HUB_HOST]: { helper: 'nosuch' } } });
      const { result, by } = await doctor(env, `${HUB_HOST}/app:1`);
      expect(result.code).toBe(1);
      expect(by['route']).toMatchObject({
        ok: false,
        detail: expect.stringContaining(
          'delegated to docker-credential-nosuch, which is not on PATH: get fails',
        ),
      });
    },
  );

  itWithNetns('doctor, secrets manager route')(
    'a Secrets Manager route: doctor reads the secret and the registry takes its login; a missing secret fails, named',
    async () => {
      const hub = `${HUB_HOST}:5001`;
      const route = (secretsManager: string) => ({
        hosts: [hub],
        routes: { [hub]: { secretsManager, region: 'eu-west-1' } },
      });
      const { env } = world(route('hub-login'));
      const { result, report, by } = await doctor(env, `${hub}/app:1`);
      expect(report.checks.filter((check) => check.ok !== true)).toEqual([]);
      expect(result.code).toBe(0);
      expect(by['authorization-token']?.detail).toMatch(
        /^secretsmanager:GetSecretValue of "hub-login" at http:\/\/127\.0\.0\.1:\d+ answered a login for user "smuser"$/,
      );
      expect(by['registry']?.detail).toBe(
        `GET https://${hub}/v2/ with the login: HTTP 200 (basic auth)`,
      );
      const missing = await doctor(world(route('no-such-secret')).env, `${hub}/app:1`);
      expect(missing.result.code).toBe(1);
      expect(missing.by['authorization-token']).toMatchObject({ ok: false });
      expect(missing.by['authorization-token']?.detail).toMatch(
        /^reading Secrets Manager secret "no-such-secret": .*ResourceNotFoundException/,
      );
      expect(missing.by['registry']?.ok).toBeNull();
    },
  );

  itWithNetns('doctor, text output')(
    'prints one line per check, a hint under each failure, and the failed names',
    async () => {
      if (!netns) throw new Error('namespace setup failed');
      const { env } = world();
      const command = netns.wrap(HELPER_BIN, ['doctor', image('app:2')]);
      const result = await runHelper({ bin: command.file, args: command.args, env, input: '' });
      expect(result.code).toBe(1);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`docker-credential-ecr-ts doctor: ${ECR_HOST}/app:2`);
      const marks = lines
        .filter((line) => /^(ok|FAILED|skipped) /.test(line))
        .map((line) => line.split(/\s+/).slice(0, 2).join(' '));
      expect(marks).toEqual(NAMES.map((name) => `${name === 'image' ? 'FAILED' : 'ok'} ${name}`));
      expect(lines[lines.length - 2]).toMatch(
        /^\s+hint: ECR reports a missing repository as NAME_UNKNOWN/,
      );
      expect(lines[lines.length - 1]).toBe('1 check failed: image');
    },
  );
});
