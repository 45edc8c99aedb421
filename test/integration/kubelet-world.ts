/**
 * A node for the kubelet tests: fake ECR, STS and Secrets Manager on loopback sharing one key
 * store, the node's own AWS keys, a universal-mode config file, and the helper set up as the
 * kubelet's provider by `configure --kubelet` into a temp config file and provider folder. The
 * emulated kubelet (test/support/kubelet.ts) then pulls with the environment a kubelet under
 * systemd has: no HOME, no XDG folders.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, keyEnv, tempDir } from '../support/env';
import { KeyStore, startFakeEcr, type BucketShape, type FakeEcr } from '../support/fake-aws';
import { startFakeSecretsManager, type FakeSecretsManager } from '../support/fake-secrets-manager';
import { startFakeSts, type FakeSts } from '../support/fake-sts';
import { Kubelet } from '../support/kubelet';
import { deferCleanup } from '../support/cleanup';
import { runHelper, type RunResult } from '../support/run-helper';
import type { IssuedKey } from '../support/sigv4';

/** The registry most kubelet tests pull from. */
export const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
/** A registry of another account, whose route names a role. */
export const OTHER_ECR = '210987654321.dkr.ecr.eu-central-1.amazonaws.com';
export const ROUTE_ROLE = 'arn:aws:iam::210987654321:role/route-puller';
export const HUB_SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf';
export const HUB_PASSWORD = 'hub-password-from-secrets-manager';
export const V1 = 'credentialprovider.kubelet.k8s.io/v1';

/** The routes every node has: a mirror, a Docker Hub login, an anonymous host, a role. */
export const ROUTES = {
  registries: {
    'mirror.example.com': { ecr: ECR },
    'registry.example.com': { secretsManager: HUB_SECRET, cacheSeconds: 120 },
    'quay.io': { anonymous: true },
    [OTHER_ECR]: { roleArn: ROUTE_ROLE },
  },
};

/** One node. */
export interface KubeletWorld {
  readonly keys: KeyStore;
  readonly node: IssuedKey;
  readonly ecr: FakeEcr;
  readonly sts: FakeSts;
  readonly secrets: FakeSecretsManager;
  readonly dir: string;
  readonly routesFile: string;
  readonly cacheDir: string;
  readonly configFile: string;
  readonly binDir: string;
  /** The kubelet's own environment (no HOME). */
  readonly nodeEnv: Record<string, string>;
  /** Runs `configure --kubelet` as the installer would. */
  configure(extra?: string[], env?: Record<string, string>): Promise<RunResult>;
  /** A kubelet started now on the config file (as after a restart). */
  kubelet(env?: Record<string, string>): Kubelet;
  /** Runs the provider directly with a request (no kubelet in between). */
  provide(request: unknown, env?: Record<string, string>): Promise<RunResult>;
  /** The cache entries' contents. */
  entries(): { refreshAt: number; hosts: string[]; service: string }[];
}

/**
 * Starts the fakes and sets the provider up; `webIdentitySubjects` as the fake STS takes them,
 * `bucket` the fake ECR's throttle (none: never throttled).
 */
export async function startKubeletWorld(
  options: {
    webIdentitySubjects?: Readonly<Record<string, readonly string[]>>;
    bucket?: BucketShape;
  } = {},
): Promise<KubeletWorld> {
  const keys = new KeyStore();
  const node = keys.issue();
  const ecr = await startFakeEcr({ keys, ...(options.bucket ? { bucket: options.bucket } : {}) });
  deferCleanup(() => ecr.close());
  const sts = await startFakeSts({
    keys,
    ...(options.webIdentitySubjects ? { webIdentitySubjects: options.webIdentitySubjects } : {}),
  });
  deferCleanup(() => sts.close());
  const secrets = await startFakeSecretsManager({
    keys,
    secrets: { [HUB_SECRET]: JSON.stringify({ username: 'hub-robot', password: HUB_PASSWORD }) },
  });
  deferCleanup(() => secrets.close());
  const dir = tempDir('ecr-ts-kubelet-');
  const routesFile = join(dir, 'config.json');
  writeFileSync(routesFile, JSON.stringify(ROUTES), { mode: 0o644 });
  const cacheDir = join(dir, 'cache');
  const configFile = join(dir, 'etc', 'credential-providers.json');
  const binDir = join(dir, 'providers');
  const env = cleanEnv(dir, {
    ...keyEnv(node),
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ENDPOINT_URL_ECR_PUBLIC: ecr.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
  });
  // A kubelet under systemd: root, no HOME, no XDG folders.
  const nodeEnv = Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !['HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME'].includes(name),
    ),
  );
  return {
    keys,
    node,
    ecr,
    sts,
    secrets,
    dir,
    routesFile,
    cacheDir,
    configFile,
    binDir,
    nodeEnv,
    configure: (extra = [], more = {}) =>
      runHelper({
        args: ['configure', '--kubelet', '--config', configFile, '--bin-dir', binDir, ...extra],
        env: { ...nodeEnv, ECR_TS_CONFIG: routesFile, AWS_ECR_CACHE_DIR: cacheDir, ...more },
      }),
    kubelet: (more = {}) => new Kubelet({ configFile, binDir, env: { ...nodeEnv, ...more } }),
    provide: (request, more = {}) =>
      runHelper({
        args: ['get-credentials'],
        input: typeof request === 'string' ? request : JSON.stringify(request),
        env: { ...nodeEnv, ECR_TS_CONFIG: routesFile, AWS_ECR_CACHE_DIR: cacheDir, ...more },
      }),
    entries: () => {
      let names: string[];
      try {
        names = readdirSync(cacheDir).filter((name) => name.endsWith('.json'));
      } catch {
        return [];
      }
      return names.map((name) => JSON.parse(readFileSync(join(cacheDir, name), 'utf8')));
    },
  };
}

/** A service-account token as the kubelet passes one: a JWT naming the service account. */
export function serviceAccountToken(namespace: string, name: string, pod = 'pod-1'): string {
  const claims = {
    iss: 'https://oidc.eks.eu-west-1.amazonaws.com/id/TEST',
    sub: `system:serviceaccount:${namespace}:${name}`,
    aud: ['sts.amazonaws.com'],
    exp: Math.floor(Date.now() / 1000) + 3600,
    'kubernetes.io': {
      namespace,
      pod: { name: pod, uid: `uid-${pod}` },
      serviceaccount: { name, uid: `uid-${namespace}-${name}` },
    },
  };
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'test' })}.${part(claims)}.${Buffer.from(`signature-${pod}`).toString('base64url')}`;
}
