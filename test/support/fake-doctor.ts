/**
 * A hand-written world for `doctor` behind its effects seam (src/commands/doctor/doctor-effects.ts):
 * a docker config, PATH, the helper's `version`, an AWS SDK, HTTP agents, a registry and the token
 * cache, each answering what a test sets; for `doctor --kubelet`, the kubelet's provider config,
 * its provider folder and the provider's answer. No process, network or file is touched.
 */
import type {
  AssumeRoleOptions,
  AwsCredentials,
  AwsSdk,
  CallerIdentity,
  GetSecretOptions,
  ResolveCredentialsOptions,
} from '../../src/aws/aws-sdk';
import { kubeletRouteFor } from '../../src/actions/get-credentials';
import type { AgentChoice } from '../../src/aws/http-agents';
import type { CacheState } from '../../src/cache/cache-state';
import type { Check } from '../../src/commands/doctor/check';
import type { VersionAnswer } from '../../src/commands/doctor/check-helper-on-path';
import type { Bound } from '../../src/deadline';
import type { DoctorEffects } from '../../src/commands/doctor/doctor-effects';
import { parseDoctorTarget } from '../../src/commands/doctor/doctor-target';
import type { HttpsResponse } from '../../src/commands/doctor/https-get';
import { runDoctor, runKubeletDoctor } from '../../src/commands/doctor/run-doctor';
import type { CallContext } from '../../src/call-context';
import { parseConfigFile } from '../../src/config/parse-config-file';
import { silentLogger } from '../../src/log';
import { PRODUCT, VERSION } from '../../src/product';
import { DEFAULT_ROUTE_TABLE } from '../../src/routing/route-table';
import { createRoutes } from '../../src/routing/routes';
import { ECR_HOST } from './registry-host';

export { ECR_HOST };
/** The docker config file of the fake world (DOCKER_CONFIG=/d). */
export const DOCKER_CONFIG_FILE = '/d/config.json';
export const HELPER_PATH = '/usr/local/bin/docker-credential-ecr-ts';
export const NOW = Date.parse('2026-06-01T12:00:00Z');
export const KEYS: AwsCredentials = {
  accessKeyId: 'AKIAFAKEFAKEFAKEFAKE',
  secretAccessKey: 'long-term-SECRET-key',
};
export const CALLER = 'arn:aws:iam::123456789012:user/ci';
export const PASSWORD = 'registry-PASSWORD-from-ecr';
/** The kubelet's provider config, its provider folder, and the link in it (doctor --kubelet). */
export const PROVIDER_CONFIG_FILE = '/k/credential-providers.json';
export const BIN_DIR = '/k/bin';
export const PROVIDER_LINK = `${BIN_DIR}/${PRODUCT}`;

/** An error as the SDK or Node throws it. */
export function sdkError(fields: {
  name?: string;
  message?: string;
  code?: string;
  status?: number;
}): Error {
  return Object.assign(new Error(fields.message ?? 'failed'), {
    ...(fields.name ? { name: fields.name } : {}),
    ...(fields.code ? { code: fields.code } : {}),
    ...(fields.status !== undefined ? { $metadata: { httpStatusCode: fields.status } } : {}),
  });
}

/** A registry answer. */
export function answer(
  status: number,
  body: unknown = '',
  headers: Record<string, string> = {},
): HttpsResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** Never settles: a hung endpoint. */
export const hang = (): Promise<never> => new Promise<never>(() => undefined);

/** What the world answers; every member has a healthy default. */
export interface DoctorWorld {
  env: Record<string, string>;
  /** The docker config's text (null: no file), or the error code reading it fails with. */
  dockerConfig: string | null | { code: string };
  /** command -> path on PATH. */
  path: Record<string, string>;
  realPaths: Record<string, string>;
  version: (path: string, bound: Bound) => Promise<VersionAnswer>;
  /** The universal-mode config file (undefined: none). */
  configFile?: unknown;
  credentials: (options: ResolveCredentialsOptions) => Promise<AwsCredentials>;
  assumeRole: (options: AssumeRoleOptions) => Promise<AwsCredentials>;
  callerIdentity: () => Promise<CallerIdentity>;
  token: () => Promise<{ authorizationToken?: string; expiresAt?: Date } | undefined>;
  /** Secrets Manager: GetSecretValue's SecretString (undefined: a binary secret). */
  secret: (options: GetSecretOptions) => Promise<string | undefined>;
  /** The region the shared AWS config gives a profile (undefined: none). */
  profileRegion: (profile: string | undefined) => Promise<string | undefined>;
  /** The registry: `GET <url>` -> its answer (or a thrown network error). */
  registry: (url: string, headers: Readonly<Record<string, string>>) => Promise<HttpsResponse>;
  cache: CacheState;
  /** Fails choosing the agents (a bad AWS_CA_BUNDLE). */
  agentsError?: Error;
  /** The kubelet's CredentialProviderConfig text (null: no file), or its read error's code. */
  providerConfig: string | null | { code: string };
  /** Paths that lead nowhere (realpath fails). */
  missing: string[];
  /** What `get-credentials` answers a request, within the check's bound. */
  provider: (request: string, bound: CallContext) => Promise<string>;
}

/** What a run did, besides its report. */
export interface DoctorTrace {
  readonly agentsChosen: number;
  readonly agentsDestroyed: number;
  readonly urls: readonly string[];
  readonly roles: readonly AssumeRoleOptions[];
  /** The region of each credential resolution, caller identity and secret read, in order. */
  readonly regions: readonly string[];
  readonly secretReads: readonly GetSecretOptions[];
  readonly sdkLoads: number;
}

/** The healthy world: docker runs this helper for ECR_HOST, and every link answers. */
export function healthyWorld(): DoctorWorld {
  return {
    env: { DOCKER_CONFIG: '/d', PATH: '/usr/local/bin' },
    dockerConfig: JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-ts' } }),
    path: { 'docker-credential-ecr-ts': HELPER_PATH },
    realPaths: { [PROVIDER_LINK]: HELPER_PATH },
    version: async () => ({ code: 0, stdout: `${PRODUCT} (npm:${PRODUCT}) ${VERSION}\n` }),
    credentials: async (options) => {
      options.observe('@aws-sdk/credential-provider-node - defaultProvider::fromEnv');
      return KEYS;
    },
    assumeRole: async (options) => {
      options.onRequest('https://sts.eu-west-1.amazonaws.com');
      return {
        accessKeyId: 'ASIAROLEROLEROLE',
        secretAccessKey: 'role-SECRET-key',
        sessionToken: 'role-SESSION-token',
        expiration: new Date(NOW + 3600_000),
      };
    },
    callerIdentity: async () => ({ account: '123456789012', arn: CALLER }),
    token: async () => ({
      authorizationToken: Buffer.from(`AWS:${PASSWORD}`).toString('base64'),
      expiresAt: new Date(NOW + 12 * 3600_000),
    }),
    registry: async (url) =>
      url.endsWith('/v2/')
        ? answer(200)
        : answer(200, '{}', {
            'docker-content-digest': `sha256:${'a'.repeat(64)}`,
            'content-type': 'application/vnd.oci.image.manifest.v1+json',
          }),
    secret: async () => JSON.stringify({ username: SECRET_USER, password: SECRET_PASSWORD }),
    profileRegion: async () => undefined,
    cache: { state: 'none' },
    providerConfig: JSON.stringify({
      apiVersion: 'kubelet.config.k8s.io/v1',
      kind: 'CredentialProviderConfig',
      providers: [
        {
          name: PRODUCT,
          matchImages: ['*.dkr.ecr.*.amazonaws.com'],
          defaultCacheDuration: '0s',
          apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
          args: ['get-credentials'],
        },
      ],
    }),
    missing: [],
    provider: async (request) =>
      JSON.stringify({
        kind: 'CredentialProviderResponse',
        apiVersion: (JSON.parse(request) as { apiVersion: string }).apiVersion,
        cacheKeyType: 'Registry',
        cacheDuration: '3h0m0s',
        auth: { [ECR_HOST]: { username: 'AWS', password: PASSWORD } },
      }),
  };
}

/** The login the healthy world's Secrets Manager holds. */
export const SECRET_USER = 'robot$ci';
export const SECRET_PASSWORD = 'sm-PASSWORD-q7Vx2Lp9Zr4K';

/** The DoctorEffects of `world`, and what the run did. */
export function fakeEffects(world: DoctorWorld): { effects: DoctorEffects; trace: DoctorTrace } {
  const trace = {
    agentsChosen: 0,
    agentsDestroyed: 0,
    urls: [] as string[],
    roles: [] as AssumeRoleOptions[],
    regions: [] as string[],
    secretReads: [] as GetSecretOptions[],
    sdkLoads: 0,
  };
  const table =
    world.configFile === undefined
      ? DEFAULT_ROUTE_TABLE
      : parseConfigFile(JSON.stringify(world.configFile), '/c/config.json');
  const routes = createRoutes(table);
  const source =
    world.configFile === undefined ? 'the built-in defaults' : 'the config file /c/config.json';
  const sdk: AwsSdk = {
    resolveCredentials: (options) => {
      trace.regions.push(`credentials ${options.region}`);
      return world.credentials(options);
    },
    assumeRole: (options) => {
      trace.roles.push(options);
      return world.assumeRole(options);
    },
    getCallerIdentity: async (options) => {
      trace.regions.push(`caller-identity ${options.region}`);
      options.onRequest('https://sts.eu-west-1.amazonaws.com');
      return world.callerIdentity();
    },
    getAuthorizationToken: async (options) => {
      options.onRequest('https://api.ecr.eu-west-1.amazonaws.com');
      // As the SDK does: a throttled answer comes back after one attempt.
      return world.token();
    },
    assumeRoleWithWebIdentity: async () => {
      throw new Error('doctor never assumes a role with a service-account token');
    },
    getSecretString: async (options) => {
      trace.regions.push(`secret ${options.region}`);
      trace.secretReads.push(options);
      options.onRequest(`https://secretsmanager.${options.region}.amazonaws.com`);
      return world.secret(options);
    },
    resolveRegion: (options) => world.profileRegion(options.profile),
  };
  const effects: DoctorEffects = {
    async readText(file) {
      const files: Record<string, string | null | { code: string }> = {
        [DOCKER_CONFIG_FILE]: world.dockerConfig,
        [PROVIDER_CONFIG_FILE]: world.providerConfig,
      };
      const text = files[file];
      if (text === undefined) throw new Error(`unexpected read of ${file}`);
      if (text !== null && typeof text === 'object') {
        throw Object.assign(new Error(text.code), { code: text.code });
      }
      return text;
    },
    findOnPath: async (command) => world.path[command],
    realPath: async (path) => {
      if (world.missing.includes(path)) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      }
      return world.realPaths[path] ?? path;
    },
    runVersion: (path, bound) => world.version(path, bound),
    loadSdk: async () => {
      trace.sdkLoads += 1;
      return sdk;
    },
    async chooseAgents(): Promise<AgentChoice> {
      if (world.agentsError) throw world.agentsError;
      trace.agentsChosen += 1;
      return { agents: {}, via: () => '', destroy: () => void (trace.agentsDestroyed += 1) };
    },
    httpsGet:
      () =>
      (url, { headers }) => {
        trace.urls.push(url);
        return world.registry(url, headers);
      },
    cacheState: () => world.cache,
    resolveRoute: (serverUrl) => ({ route: routes.routeFor(serverUrl), source }),
    kubeletRoute: (registry) => ({ route: kubeletRouteFor(table, registry), source }),
    askProvider: (request, bound) => world.provider(request, bound),
    now: () => NOW,
  };
  return { effects, trace };
}

/** Runs doctor in `world` for `subject` (a registry or image; none when undefined). */
export async function doctorIn(
  world: DoctorWorld,
  subject?: string,
  options: { stepTimeoutMs?: number; signal?: AbortSignal } = {},
) {
  const { effects, trace } = fakeEffects(world);
  const report = await runDoctor({
    ...(subject !== undefined ? { target: parseDoctorTarget(subject) } : {}),
    env: world.env,
    logger: silentLogger,
    stepTimeoutMs: options.stepTimeoutMs ?? 5000,
    signal: options.signal ?? new AbortController().signal,
    effects,
  });
  const by = Object.fromEntries(report.checks.map((check) => [check.name, check])) as Record<
    Check['name'],
    Check
  >;
  return { report, by, trace };
}

/** Runs `doctor --kubelet` in `world` for `image`, its provider linked to HELPER_PATH. */
export async function kubeletDoctorIn(
  world: DoctorWorld,
  image: string,
  options: { stepTimeoutMs?: number; program?: string } = {},
) {
  const { effects } = fakeEffects(world);
  const report = await runKubeletDoctor({
    image,
    configFile: PROVIDER_CONFIG_FILE,
    binDir: BIN_DIR,
    name: PRODUCT,
    program: options.program ?? HELPER_PATH,
    env: world.env,
    logger: silentLogger,
    stepTimeoutMs: options.stepTimeoutMs ?? 5000,
    signal: new AbortController().signal,
    effects,
  });
  const by = Object.fromEntries(report.checks.map((check) => [check.name, check])) as Record<
    Check['name'],
    Check
  >;
  return { report, by };
}

/** The image doctor is asked about in most tests. */
export const IMAGE = `${ECR_HOST}/app:1`;
