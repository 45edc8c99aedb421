/**
 * A hand-written world for `doctor` behind its effects seam (src/commands/doctor/doctor-effects.ts):
 * a docker config, PATH, the helper's `version`, an AWS SDK, HTTP agents, a registry and the token
 * cache, each answering what a test sets. No process, network or file is touched.
 */
import type {
  AssumeRoleOptions,
  AwsCredentials,
  AwsSdk,
  CallerIdentity,
  ResolveCredentialsOptions,
} from '../../src/aws/aws-sdk';
import type { AgentChoice } from '../../src/aws/http-agents';
import type { CacheState } from '../../src/cache/cache-state';
import type { Check } from '../../src/commands/doctor/check';
import type { VersionAnswer } from '../../src/commands/doctor/check-helper-on-path';
import type { Bound } from '../../src/deadline';
import type { DoctorEffects } from '../../src/commands/doctor/doctor-effects';
import { parseDoctorTarget } from '../../src/commands/doctor/doctor-target';
import type { HttpsResponse } from '../../src/commands/doctor/https-get';
import { runDoctor } from '../../src/commands/doctor/run-doctor';
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
  /** The registry: `GET <url>` -> its answer (or a thrown network error). */
  registry: (url: string, headers: Readonly<Record<string, string>>) => Promise<HttpsResponse>;
  cache: CacheState;
  /** Fails choosing the agents (a bad AWS_CA_BUNDLE). */
  agentsError?: Error;
}

/** What a run did, besides its report. */
export interface DoctorTrace {
  readonly agentsChosen: number;
  readonly agentsDestroyed: number;
  readonly urls: readonly string[];
  readonly roles: readonly AssumeRoleOptions[];
  readonly sdkLoads: number;
}

/** The healthy world: docker runs this helper for ECR_HOST, and every link answers. */
export function healthyWorld(): DoctorWorld {
  return {
    env: { DOCKER_CONFIG: '/d', PATH: '/usr/local/bin' },
    dockerConfig: JSON.stringify({ credHelpers: { [ECR_HOST]: 'ecr-ts' } }),
    path: { 'docker-credential-ecr-ts': HELPER_PATH },
    realPaths: {},
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
    cache: { state: 'none' },
  };
}

/** The DoctorEffects of `world`, and what the run did. */
export function fakeEffects(world: DoctorWorld): { effects: DoctorEffects; trace: DoctorTrace } {
  const trace = {
    agentsChosen: 0,
    agentsDestroyed: 0,
    urls: [] as string[],
    roles: [] as AssumeRoleOptions[],
    sdkLoads: 0,
  };
  const routes = createRoutes(
    world.configFile === undefined
      ? DEFAULT_ROUTE_TABLE
      : parseConfigFile(JSON.stringify(world.configFile), '/c/config.json'),
  );
  const sdk: AwsSdk = {
    resolveCredentials: (options) => world.credentials(options),
    assumeRole: (options) => {
      trace.roles.push(options);
      return world.assumeRole(options);
    },
    getCallerIdentity: async (options) => {
      options.onRequest('https://sts.eu-west-1.amazonaws.com');
      return world.callerIdentity();
    },
    getAuthorizationToken: async (options) => {
      options.onRequest('https://api.ecr.eu-west-1.amazonaws.com');
      // As the SDK does: a throttled answer comes back after one attempt.
      return world.token();
    },
    getSecretString: async () => {
      throw new Error('doctor never reads a secret');
    },
    resolveRegion: async () => {
      throw new Error('doctor never asks for the region of a profile');
    },
  };
  const effects: DoctorEffects = {
    async readText(file) {
      if (file !== DOCKER_CONFIG_FILE) throw new Error(`unexpected read of ${file}`);
      const { dockerConfig } = world;
      if (dockerConfig !== null && typeof dockerConfig === 'object') {
        throw Object.assign(new Error(dockerConfig.code), { code: dockerConfig.code });
      }
      return dockerConfig;
    },
    findOnPath: async (command) => world.path[command],
    realPath: async (path) => world.realPaths[path] ?? path,
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
    resolveRoute: (registry) => ({
      route: routes.routeFor(registry.host),
      source:
        world.configFile === undefined ? 'the built-in defaults' : 'the config file /c/config.json',
    }),
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

/** The image doctor is asked about in most tests. */
export const IMAGE = `${ECR_HOST}/app:1`;
