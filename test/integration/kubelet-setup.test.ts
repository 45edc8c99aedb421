/**
 * Setting the provider up (docs/kubelet.md): `configure --kubelet` writes a CredentialProviderConfig
 * the kubelet's strict decoder and validation accept (or edits an existing one minimally, after a
 * backup), links the program into the provider folder, and prints the two kubelet flags; `doctor
 * --kubelet` says what the kubelet would get; and, as root with no HOME, the default cache folder
 * and config file work (in a private mount namespace, so nothing on this machine changes).
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ECR_MATCH_IMAGES } from '../../src/registry/ecr-match-images';
import { scrubProcessEnv, tempDir } from '../support/env';
import { decodeProviderConfig } from '../support/kubelet';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { ECR, OTHER_ECR, ROUTES, startKubeletWorld, V1, type KubeletWorld } from './kubelet-world';

scrubProcessEnv();

let w: KubeletWorld;
beforeEach(async () => {
  w = await startKubeletWorld();
});

/** The Go provider as EKS's AMI writes it. */
const EKS_CONFIG = `{
  "apiVersion": "kubelet.config.k8s.io/v1",
  "kind": "CredentialProviderConfig",
  "providers": [
    {
      "name": "ecr-credential-provider",
      "matchImages": ["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn"],
      "defaultCacheDuration": "12h",
      "apiVersion": "credentialprovider.kubelet.k8s.io/v1"
    }
  ]
}
`;

describe('configure --kubelet', () => {
  it('writes a config the kubelet accepts, links the provider, prints the two flags', async () => {
    const run = await w.configure();
    expect([run.code, run.stderr]).toEqual([0, '']);
    const [provider, ...others] = decodeProviderConfig(readFileSync(w.configFile, 'utf8'));
    expect(others).toEqual([]);
    expect(provider).toMatchObject({
      name: 'docker-credential-ecr-ts',
      apiVersion: V1,
      args: ['get-credentials'],
      defaultCacheDurationMs: 0,
      env: [
        { name: 'AWS_ECR_CACHE_DIR', value: w.cacheDir },
        { name: 'ECR_TS_CONFIG', value: w.routesFile },
      ],
    });
    // Every ECR form, and the routes that answer something (not the anonymous one, nor a host
    // an ECR glob covers already).
    expect(provider?.matchImages).toEqual([
      ...ECR_MATCH_IMAGES,
      'mirror.example.com',
      'registry.example.com',
    ]);
    expect(Object.keys(ROUTES.registries)).toContain(OTHER_ECR);
    const link = join(w.binDir, 'docker-credential-ecr-ts');
    expect(realpathSync(link)).toBe(realpathSync(HELPER_BIN));
    expect(run.stdout).toContain(`  --image-credential-provider-config=${w.configFile}\n`);
    expect(run.stdout).toContain(`  --image-credential-provider-bin-dir=${w.binDir}\n`);

    const again = await w.configure();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already linked/);
    expect(again.stdout).toMatch(/already up to date, not rewritten/);
    expect(readdirSync(join(w.configFile, '..')).filter((name) => name.endsWith('.bak'))).toEqual(
      [],
    );
  });

  it('edits an existing file minimally, after a backup, and names the other provider', async () => {
    mkdirSync(join(w.configFile, '..'), { recursive: true });
    writeFileSync(w.configFile, EKS_CONFIG);
    const run = await w.configure(['--name', 'ecr-ts']);
    expect(run.code).toBe(0);
    const text = readFileSync(w.configFile, 'utf8');
    expect(decodeProviderConfig(text).map((provider) => provider.name)).toEqual([
      'ecr-ts',
      'ecr-credential-provider',
    ]);
    expect(text).toContain(
      EKS_CONFIG.slice(EKS_CONFIG.indexOf('    {'), EKS_CONFIG.lastIndexOf('    }')),
    );
    const backups = readdirSync(join(w.configFile, '..')).filter((name) => name.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(w.configFile, '..', backups[0] ?? ''), 'utf8')).toBe(EKS_CONFIG);
    expect(run.stdout).toMatch(/note: provider "ecr-credential-provider" also matches ECR images/);
    expect(existsSync(join(w.binDir, 'ecr-ts'))).toBe(true);
    // And the kubelet now runs ours first for an ECR image.
    expect(w.kubelet().providerFor(`${ECR}/app`)?.name).toBe('ecr-ts');
  });

  it.each([
    [
      'a YAML file',
      'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\n',
      [],
      /YAML/,
    ],
    ['a provider name with a slash', '', ['--name', '../x'], /invalid --name/],
  ])('refuses %s in one line, changing nothing', async (_, before, flags, message) => {
    if (before) {
      mkdirSync(join(w.configFile, '..'), { recursive: true });
      writeFileSync(w.configFile, before);
    }
    const run = await w.configure(flags);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(message)]);
    expect(existsSync(w.binDir)).toBe(false);
    if (before) expect(readFileSync(w.configFile, 'utf8')).toBe(before);
  });

  it('refuses to replace another program at the provider path', async () => {
    mkdirSync(w.binDir, { recursive: true });
    writeFileSync(join(w.binDir, 'docker-credential-ecr-ts'), '#!/bin/sh\n', { mode: 0o755 });
    const run = await w.configure();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/exists and is not docker-credential-ecr-ts/);
    expect(existsSync(w.configFile)).toBe(false);
  });

  it("edits the file the way configure edits docker's: newest 5 backups, read-only refused", async () => {
    const dir = join(w.configFile, '..');
    mkdirSync(dir, { recursive: true });
    for (let day = 1; day <= 6; day += 1) {
      writeFileSync(`${w.configFile}.2026010${day}T000000Z.bak`, '{}');
    }
    writeFileSync(w.configFile, EKS_CONFIG);
    const run = await w.configure();
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(
      `removed 2 older backups of ${w.configFile} (the newest 5 are kept)`,
    );
    const backups = readdirSync(dir).filter((name) => name.endsWith('.bak'));
    expect(backups).toHaveLength(5);
    expect(backups).not.toContain('credential-providers.json.20260101T000000Z.bak');

    const written = readFileSync(w.configFile, 'utf8');
    chmodSync(w.configFile, 0o444);
    const refused = await w.configure(['--name', 'other']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`${w.configFile} is read-only (mode 0444)`);
    expect(readFileSync(w.configFile, 'utf8')).toBe(written);
  });

  it('takes over a lock a stopped configure run left, as configure does', async () => {
    mkdirSync(join(w.configFile, '..'), { recursive: true });
    // proper-lockfile's lock: a folder beside the file, which nobody refreshes.
    mkdirSync(`${w.configFile}.lock`);
    const run = await w.configure([], { ECR_TS_TIMEOUT: '30' });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(decodeProviderConfig(readFileSync(w.configFile, 'utf8'))).toHaveLength(1);
  });

  it('--dry-run writes nothing and says what it would do', async () => {
    const run = await w.configure(['--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/would link/);
    expect(run.stdout).toMatch(/dry run: .* not written/);
    expect(existsSync(w.configFile)).toBe(false);
    expect(existsSync(w.binDir)).toBe(false);
  });
});

describe('doctor --kubelet', () => {
  const doctor = (image: string, extra: string[] = []) =>
    runHelper({
      args: [
        'doctor',
        '--kubelet',
        image,
        '--config',
        w.configFile,
        '--bin-dir',
        w.binDir,
        ...extra,
      ],
      env: { ...w.nodeEnv, ECR_TS_CONFIG: w.routesFile, AWS_ECR_CACHE_DIR: w.cacheDir },
    });

  it('says what the kubelet would get, with the password hidden', async () => {
    await w.configure();
    const run = await doctor(`${ECR}/team/app`);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^ok +provider-config .*covers the image \(matchImages "\*\.dkr\.ecr\.\*\.amazonaws\.com"\)/m,
    );
    expect(run.stdout).toMatch(/^ok +provider-file /m);
    expect(run.stdout).toMatch(
      /^ok +route +[^ ]+: private ECR of account 123456789012 in eu-west-1/m,
    );
    expect(run.stdout).toMatch(
      /^ok +response +auth ".*": user "AWS", password of \d+ characters \(hidden\); cacheKeyType Registry, cacheDuration \d+h\d+m\d+s/m,
    );
    expect(run.stdout).not.toContain(w.ecr.passwords[0]);
    const json = JSON.parse((await doctor(`${ECR}/team/app`, ['--json'])).stdout);
    expect(json.ok).toBe(true);
    expect(json.checks.map((check: { name: string }) => check.name)).toEqual([
      'provider-config',
      'provider-file',
      'route',
      'response',
    ]);
  });

  it("bounds the request path by the check's own bound, naming the provider's step it was on", async () => {
    await w.configure();
    w.ecr.defaultFault = 'hang';
    const run = await runHelper({
      args: ['doctor', '--kubelet', `${ECR}/app`, '--config', w.configFile, '--bin-dir', w.binDir],
      env: {
        ...w.nodeEnv,
        ECR_TS_CONFIG: w.routesFile,
        AWS_ECR_CACHE_DIR: w.cacheDir,
        ECR_TS_TIMEOUT: '4',
      },
    });
    expect(run.code).toBe(1);
    // The step is the token path's own (on a loaded machine it may still be loading the SDK or
    // reading the keys when the bound passes), never just "checking response".
    expect(run.stdout).toMatch(
      /^FAILED +response +timed out after 4 s while (calling GetAuthorizationToken at http:\/\/127\.0\.0\.1:\d+|loading the AWS SDK|(getting|waiting for) AWS credentials .*)$/m,
    );
    expect(run.stdout).toMatch(/^ok +provider-config /m);
  });

  it('fails when the kubelet would not run the provider, or the provider fails', async () => {
    await w.configure();
    const uncovered = await doctor('ghcr.io/org/app');
    expect(uncovered.code).toBe(1);
    expect(uncovered.stdout).toMatch(
      /^FAILED +provider-config .*no matchImages entry covers "ghcr.io\/org\/app"/m,
    );
    w.ecr.defaultFault = 'access-denied';
    const denied = await doctor(`${ECR}/app`);
    expect(denied.stdout).toMatch(
      /^FAILED +response +the provider would exit 1 and the kubelet log: access denied/m,
    );
  });
});

const isRoot = process.getuid?.() === 0;
const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((path) => existsSync(path));

(isRoot && UNSHARE ? describe : describe.skip)('root with no HOME, the defaults', () => {
  it('caches in /var/cache/docker-credential-ecr-ts and reads /etc/docker-credential-ecr-ts/config.json: one API call across restarts', async () => {
    const request = join(tempDir(), 'request.json');
    writeFileSync(
      request,
      JSON.stringify({
        apiVersion: V1,
        kind: 'CredentialProviderRequest',
        image: 'mirror.example.com/app',
      }),
    );
    const scratch = tempDir();
    // A private mount namespace: a fresh /var/cache and an /etc whose changes stay in a tmpfs.
    const script = `
set -e
mount --make-rprivate /
mount -t tmpfs -o mode=0755 tmpfs /var/cache
mount -t tmpfs tmpfs "$SCRATCH"
mkdir "$SCRATCH/u" "$SCRATCH/w"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$SCRATCH/u,workdir=$SCRATCH/w" /etc
mkdir -m 0755 /etc/docker-credential-ecr-ts
printf '%s' "$ROUTES" > /etc/docker-credential-ecr-ts/config.json
for run in 1 2 3; do "$HELPER" get-credentials < "$REQUEST"; done
stat -c '%a %u' /var/cache/docker-credential-ecr-ts
ls /var/cache/docker-credential-ecr-ts | grep -c '\\.json$'
`;
    // Spawned, not execFileSync: the fakes answer from this process's event loop.
    const run = await runHelper({
      bin: UNSHARE ?? 'unshare',
      args: ['--mount', 'sh', '-c', script],
      env: {
        ...w.nodeEnv,
        SCRATCH: scratch,
        REQUEST: request,
        HELPER: HELPER_BIN,
        ROUTES: JSON.stringify(ROUTES),
      },
    });
    if (run.code !== 0 && /overlay|permission denied|not permitted/i.test(run.stderr)) {
      console.log(`SKIPPED (root, no HOME, defaults): no private mounts here: ${run.stderr}`);
      return;
    }
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(w.nodeEnv['HOME']).toBeUndefined();
    const output = run.stdout;
    const lines = output.trim().split('\n');
    const answers = lines.slice(0, 3).map((line) => JSON.parse(line));
    for (const answer of answers) {
      expect(answer.auth['mirror.example.com'].password).toBe(w.ecr.passwords[0]);
    }
    expect(lines.slice(3)).toEqual(['700 0', '1']);
    expect(w.ecr.tokenCalls()).toBe(1);
    expect(existsSync('/etc/docker-credential-ecr-ts')).toBe(false);
  });
});
