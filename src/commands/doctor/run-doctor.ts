/**
 * Walks the chain from docker's config to the image's manifest, one check at a time, each bounded
 * by its own deadline (the call's timeout), and says where it breaks. A check whose input an
 * earlier one could not establish is skipped, not failed. Effects are passed in; nothing here
 * prints, and every secret seen on the way is masked in the report.
 */
import type { AwsCredentials, LoadSdk } from '../../aws/aws-sdk';
import type { AgentChoice } from '../../aws/http-agents';
import type { EcrToken } from '../../aws/token';
import type { CacheState } from '../../cache/cache-state';
import type { CallContext } from '../../call-context';
import { nonEmpty, type Env } from '../../env';
import { toHelperError } from '../../errors';
import type { Logger } from '../../log';
import type { Registry, EcrRegistry } from '../../registry/parse-registry';
import { dockerConfigFile } from '../configure';
import { HELPER_SUFFIX } from '../plan-configure';
import {
  CHECK_NAMES,
  failed,
  skipped,
  type Check,
  type CheckName,
  type DoctorReport,
  type Finding,
} from './check';
import { checkAuthorizationToken } from './check-authorization-token';
import { checkAwsCredentials } from './check-aws-credentials';
import { checkCallerIdentity } from './check-caller-identity';
import { checkDockerConfig } from './check-docker-config';
import { checkHelperOnPath, type HelperOnPathEffects } from './check-helper-on-path';
import { checkImage } from './check-image';
import { checkRegistry } from './check-registry';
import { checkRoute, noRoute, type RouteResolution, type RouteResult } from './check-route';
import type { DoctorTarget } from './doctor-target';
import type { HttpsGet, HttpsGetOptions } from './https-get';
import { createRegistryClient } from './registry-client';
import type { AwsIdentity } from '../../aws/aws-identity';

/** Everything doctor does to the world, passed in (doctor-effects.ts has the real ones). */
export interface DoctorEffects extends HelperOnPathEffects {
  /** A file's text, or null when it does not exist. */
  readText(file: string): Promise<string | null>;
  readonly loadSdk: LoadSdk;
  chooseAgents(env: Env): Promise<AgentChoice>;
  httpsGet(options: HttpsGetOptions): HttpsGet;
  /** The token cache's state for the registry (read-only). */
  /** What the token cache holds for the registry and the route's identity. */
  cacheState(registry: EcrRegistry, identity: AwsIdentity): CacheState;
  /** The route of a host (plain mode until universal mode lands). */
  resolveRoute(registry: Registry): RouteResolution;
  now(): number;
}

/** What one doctor run needs. */
export interface DoctorOptions {
  readonly target?: DoctorTarget;
  readonly env: Env;
  readonly logger: Logger;
  /** The bound of each step, in milliseconds (ECR_TS_TIMEOUT). */
  readonly stepTimeoutMs: number;
  /** Ends every step (the whole call's bound, or the caller's abort). */
  readonly signal: AbortSignal;
  readonly effects: DoctorEffects;
}

/** Registry responses are read up to this size; a manifest index is far smaller. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Runs every check in order and returns the report. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { env, effects, target } = options;
  const found = new Map<CheckName, Finding>();
  const secrets = new Set<string>(envSecrets(env));
  const step = <T extends { finding: Finding }>(
    name: CheckName,
    work: (context: CallContext) => Promise<T>,
  ): Promise<Partial<T>> =>
    bounded(options, name, work).then((result) => {
      found.set(name, result.finding ?? failed('no finding'));
      return result;
    });
  const skip = (name: CheckName, finding: Finding): void => void found.set(name, finding);

  // Docker's side: which file, which helper, and that the helper is there.
  const docker = await step('docker-config', async () => {
    const file = dockerConfigFile(env);
    let text: string | null = null;
    let readError: string | undefined;
    try {
      text = await effects.readText(file);
    } catch (error) {
      readError = (error as NodeJS.ErrnoException).code ?? String(error);
    }
    return checkDockerConfig({
      file,
      fromEnv: nonEmpty(env['DOCKER_CONFIG']) !== undefined,
      text,
      ...(readError !== undefined ? { readError } : {}),
      ...(target ? { host: target.authority } : {}),
    });
  });
  await step('helper-on-path', async (context) => ({
    finding: await checkHelperOnPath(docker.helper ?? HELPER_SUFFIX, effects, context),
  }));

  // The helper's side: the route, the AWS identity, the token.
  let route: RouteResult | undefined;
  if (target) {
    route = (await step('route', async () =>
      checkRoute(target.authority, effects.resolveRoute(target.registry)),
    )) as RouteResult;
  } else skip('route', noRoute());
  const ecr = route?.ecr;
  const region = ecr
    ? regionOf(ecr.registry)
    : (nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? 'us-east-1');
  let credentials: AwsCredentials | undefined;
  let token: EcrToken | undefined;
  let principal: string | undefined;
  if (route && !route.usesAws) {
    for (const name of ['aws-credentials', 'caller-identity', 'authorization-token'] as const) {
      skip(name, skipped('not needed: this route makes no AWS call'));
    }
  } else {
    let agents: AgentChoice | undefined;
    try {
      let loading: ReturnType<LoadSdk> | undefined;
      const sdk = (): ReturnType<LoadSdk> => (loading ??= effects.loadSdk());
      const creds = await step('aws-credentials', async (context) => {
        agents = await effects.chooseAgents(env);
        context.progress.step = 'loading the AWS SDK';
        return checkAwsCredentials({
          context,
          sdk: await sdk(),
          agentChoice: agents,
          region,
          identity: ecr?.identity ?? {},
          fips: ecr?.registry.kind === 'private' && ecr.registry.fips,
          action:
            ecr?.registry.kind === 'public'
              ? 'ecr-public:GetAuthorizationToken'
              : 'ecr:GetAuthorizationToken',
          now: effects.now,
        });
      });
      credentials = creds.credentials;
      if (credentials) {
        for (const value of [credentials.secretAccessKey, credentials.sessionToken]) {
          if (value) secrets.add(value);
        }
      }
      const chosen = agents;
      if (credentials && chosen) {
        const signing = credentials;
        const identity = await step('caller-identity', async (context) =>
          checkCallerIdentity({
            context,
            sdk: await sdk(),
            agents: chosen.agents,
            credentials: signing,
            region,
            ...(ecr?.registry.kind === 'private'
              ? { registryAccount: ecr.registry.accountId }
              : {}),
          }),
        );
        principal = identity.arn;
      } else skip('caller-identity', skipped('needs AWS credentials (see aws-credentials)'));
      if (!ecr) {
        skip(
          'authorization-token',
          target ? skipped('this route needs no ECR token') : skipped('no registry named'),
        );
      } else if (!credentials || !chosen) {
        skip('authorization-token', skipped('needs AWS credentials (see aws-credentials)'));
      } else {
        const signing = credentials;
        const result = await step('authorization-token', async (context) =>
          checkAuthorizationToken({
            context,
            sdk: await sdk(),
            agents: chosen,
            credentials: signing,
            registry: ecr.registry,
            cache: effects.cacheState(ecr.registry, ecr.identity),
            now: effects.now,
          }),
        );
        token = result.token;
        if (token) secrets.add(token.password);
      }
    } finally {
      (agents as AgentChoice | undefined)?.destroy();
    }
  }

  // The registry's side: the token, then the image (the second permission check).
  if (!target || !token) {
    const why = !target ? 'no registry named' : 'needs a token (see authorization-token)';
    skip('registry', skipped(why));
    skip('image', skipped(target?.image ? why : 'no image named (give host/repository:tag)'));
  } else {
    const password = token.password;
    const username = token.username;
    const client = (context: CallContext, agents: AgentChoice) =>
      createRegistryClient({
        authority: target.authority,
        username,
        password,
        get: effects.httpsGet({
          agents: agents.agents,
          signal: context.signal,
          deadline: context.deadline,
          maxBytes: MAX_RESPONSE_BYTES,
        }),
        secret: (value) => secrets.add(value),
      });
    const withAgents = async <T>(work: (agents: AgentChoice) => Promise<T>): Promise<T> => {
      const agents = await effects.chooseAgents(env);
      try {
        return await work(agents);
      } finally {
        agents.destroy();
      }
    };
    await step('registry', (context) =>
      withAgents(async (agents) => ({
        finding: await checkRegistry({ authority: target.authority, get: client(context, agents) }),
      })),
    );
    const { image } = target;
    if (!image) skip('image', skipped('no image named (give host/repository:tag)'));
    else {
      await step('image', (context) =>
        withAgents(async (agents) => ({
          finding: await checkImage({
            authority: target.authority,
            repository: image.repository,
            reference: image.reference,
            get: client(context, agents),
            ...(ecr ? { registry: ecr.registry } : {}),
            ...(principal ? { principal } : {}),
          }),
        })),
      );
    }
  }

  const checks: Check[] = CHECK_NAMES.map((name) => ({
    name,
    ...mask(found.get(name) ?? skipped('not run'), secrets),
  }));
  return { ok: checks.every((check) => check.ok !== false), checks };
}

/** Runs one check with its own deadline; a timeout or a throw becomes its failed finding. */
async function bounded<T extends { finding: Finding }>(
  options: DoctorOptions,
  name: CheckName,
  work: (context: CallContext) => Promise<T>,
): Promise<Partial<T> & { finding: Finding }> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  const progress = { step: `checking ${name}` };
  const context: CallContext = {
    env: options.env,
    logger: options.logger,
    signal: controller.signal,
    deadline: options.effects.now() + options.stepTimeoutMs,
    progress,
  };
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<{ finding: Finding }>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({
        finding: failed(
          `timed out after ${options.stepTimeoutMs / 1000} s while ${progress.step}`,
          'Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).',
        ),
      });
    }, options.stepTimeoutMs);
  });
  try {
    const done = work(context).catch((error: unknown) => ({
      finding: failed(toHelperError(error).message),
    }));
    return (await Promise.race([done, expired])) as Partial<T> & { finding: Finding };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', abort);
  }
}

function regionOf(registry: EcrRegistry): string {
  return registry.kind === 'private' ? registry.region : 'us-east-1';
}

/** Values from the environment that must never show: keys, the container URI capability. */
function envSecrets(env: Env): string[] {
  return [
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  ].flatMap((name) => nonEmpty(env[name]) ?? []);
}

function mask(finding: Finding, secrets: ReadonlySet<string>): Finding {
  const hide = (text: string): string => {
    let out = text;
    for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
    return out;
  };
  return {
    ...finding,
    detail: hide(finding.detail),
    ...(finding.hint ? { hint: hide(finding.hint) } : {}),
  };
}
