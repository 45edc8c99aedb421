/**
 * doctor's checks as data (docs/doctor.md): the links of the chain from the docker config to the
 * image, in the order run-doctor.ts runs and prints them. Each says, from what the checks before
 * it found, whether it runs (and with what) or why it is skipped, and what it hands on; the
 * check-*.ts files judge. Effects come from the DoctorEffects seam.
 */
import type { AwsCredentials, AwsSdk } from '../../aws/aws-sdk';
import { secretRegion, SECRET_ACTION } from '../../aws/fetch-secret';
import { tokenApi } from '../../aws/fetch-token';
import type { AgentChoice } from '../../aws/http-agents';
import type { RouteCredentialsOptions } from '../../aws/route-credentials';
import type { CallContext } from '../../call-context';
import { nonEmpty, type Env } from '../../env';
import { dockerConfigFile } from '../docker-config-file';
import { HELPER_SUFFIX } from '../plan-configure';
import type { AwsCaller } from './call-aws';
import { skipped, type ChainCheck, type CheckResult, type CheckWork, type Finding } from './check';
import { checkAuthorizationToken } from './check-authorization-token';
import { checkAwsCredentials } from './check-aws-credentials';
import { checkCallerIdentity } from './check-caller-identity';
import { checkDockerConfig } from './check-docker-config';
import { checkHelperOnPath } from './check-helper-on-path';
import { checkImage } from './check-image';
import { checkRegistry } from './check-registry';
import { checkRoute, noRoute, type RouteFacts } from './check-route';
import { checkSecretLogin, type Login } from './check-secret-login';
import { readForCheck, type DoctorEffects } from './doctor-effects';
import type { DoctorTarget } from './doctor-target';
import { createRegistryClient, type RegistryGet } from './registry-client';

/** What every check of one run may use. */
export interface DoctorRun {
  readonly target: DoctorTarget | undefined;
  readonly env: Env;
  readonly effects: DoctorEffects;
  /** The AWS SDK, loaded once for the run. */
  sdk(): Promise<AwsSdk>;
  /** The agents of the AWS checks, chosen once for the run (the runner destroys them). */
  awsAgents(): Promise<AgentChoice>;
  /** Masks `value` wherever it shows in the report. */
  secret(value: string): void;
  /** `text` with every secret hidden whole. */
  hide(text: string): string;
  /** Text others wrote (a registry's message) with every secret, whole or cut, hidden. */
  hideQuoted(text: string): string;
}

/** What the checks so far established, for the ones after them. */
export interface Found {
  /** The helper docker runs for the host (`ecr-ts` for docker-credential-ecr-ts). */
  readonly helper?: string;
  /** The docker config names a helper by a name that is none (see check-docker-config.ts). */
  readonly invalidHelper?: true;
  readonly route?: RouteFacts;
  readonly credentials?: AwsCredentials;
  /** The region the credentials are used in (the registry's, or the secret's). */
  readonly region?: string;
  /** The caller's ARN. */
  readonly principal?: string;
  /** What the registry gets: the ECR token, or the login in a route's secret (`secretId`). */
  readonly login?: Login & { readonly secretId?: string };
}

/** One link of docker's chain. */
type DoctorCheck = ChainCheck<DoctorRun, Found>;

/** Registry responses are read up to this size; a manifest index is far smaller. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const NEEDS_CREDENTIALS = 'needs AWS credentials (see aws-credentials)';
const NEEDS_TOKEN = 'needs a token (see authorization-token)';
const NEEDS_LOGIN = 'needs a login (see authorization-token)';

/** The checks, in the order they run and print. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  // Docker's side: which file, which helper, and that the helper is there.
  {
    name: 'docker-config',
    prepare: (run) => async () => {
      const file = dockerConfigFile(run.env);
      return checkDockerConfig({
        file,
        fromEnv: nonEmpty(run.env['DOCKER_CONFIG']) !== undefined,
        ...(await readForCheck(run.effects, file)),
        ...(run.target ? { host: run.target.authority } : {}),
      });
    },
  },
  {
    name: 'helper-on-path',
    prepare: (run, found) => {
      // Nothing runs for a name a route would refuse: `docker-credential-../x` leaves PATH.
      if (found.invalidHelper)
        return skipped('the docker config names no valid helper (see docker-config)');
      return async (context) => ({
        finding: await checkHelperOnPath(found.helper ?? HELPER_SUFFIX, run.effects, context),
      });
    },
  },
  // The helper's side: the route, the AWS identity, the token.
  {
    name: 'route',
    prepare: ({ target, effects }) => {
      if (!target) return noRoute();
      return async () => {
        // Resolved from what docker hands `get`: the host with its port.
        const resolution = effects.resolveRoute(target.serverUrl);
        const { route } = resolution;
        const helperPath =
          route.kind === 'store' && route.store.kind === 'helper'
            ? await effects.findOnPath(`docker-credential-${route.store.name}`)
            : undefined;
        const { finding, value } = checkRoute(target.authority, resolution, helperPath);
        return { finding, value: { route: value } };
      };
    },
  },
  {
    name: 'aws-credentials',
    prepare: (run, found) =>
      noAwsCall(run, found) ??
      (async (context) => {
        const choice = await run.awsAgents();
        context.progress.step = 'loading the AWS SDK';
        const sdk = await run.sdk();
        const route = await routeCall(run, found, sdk);
        const { finding, value } = await checkAwsCredentials(
          { sdk, call: context, choice, ...route },
          run.effects.now,
        );
        if (!value) return { finding };
        for (const secret of [value.secretAccessKey, value.sessionToken]) {
          if (secret) run.secret(secret);
        }
        return { finding, value: { credentials: value, region: route.region } };
      }),
  },
  {
    name: 'caller-identity',
    prepare: (run, found) =>
      withCredentials(run, found, async (aws) => {
        const registry = found.route?.ecr?.registry;
        const account = registry?.kind === 'private' ? registry.accountId : undefined;
        const { finding, value } = await checkCallerIdentity(aws, account);
        return { finding, value: value ? { principal: value } : {} };
      }),
  },
  {
    // The credentials the registry gets: an ECR token, or a Secrets Manager secret's login.
    name: 'authorization-token',
    prepare: (run, found) => {
      const { ecr, secret } = found.route ?? {};
      const work: ((aws: AwsCaller) => Promise<CheckResult<Found>>) | undefined = secret
        ? async (aws) => {
            const { finding, value } = await checkSecretLogin(aws, secret, (value) =>
              run.secret(value),
            );
            return {
              finding,
              value: value ? { login: { ...value, secretId: secret.secretId } } : {},
            };
          }
        : ecr
          ? async (aws) => {
              const cache = run.effects.cacheState(ecr.registry, ecr.identity);
              const { finding, value } = await checkAuthorizationToken(
                aws,
                ecr.registry,
                cache,
                run.effects.now,
              );
              if (value) run.secret(value.password);
              return { finding, value: value ? { login: value } : {} };
            }
          : undefined;
      if (!work) return noAwsCall(run, found) ?? skipped('no registry named');
      return withCredentials(run, found, work);
    },
  },
  // The registry's side: the credentials, then the image (the second permission check).
  {
    name: 'registry',
    prepare: (run, found) => {
      const { target } = run;
      const { login } = found;
      if (!target) return skipped('no registry named');
      if (!login) return skipped(needsLogin(found));
      return (context) =>
        withRegistry(run, target.authority, login, context, async (get) => ({
          finding: await checkRegistry({
            authority: target.authority,
            get,
            ...(login.secretId !== undefined ? { secretId: login.secretId } : {}),
          }),
        }));
    },
  },
  {
    name: 'image',
    prepare: (run, found) => {
      const { target } = run;
      const { login, route, principal } = found;
      const image = target?.image;
      if (!target || !image) return skipped('no image named (give host/repository:tag)');
      if (!login) return skipped(needsLogin(found));
      return (context) =>
        withRegistry(run, target.authority, login, context, async (get) => ({
          finding: await checkImage({
            authority: target.authority,
            repository: image.repository,
            reference: image.reference,
            get,
            ...(route?.ecr ? { registry: route.ecr.registry } : {}),
            ...(principal ? { principal } : {}),
          }),
        }));
    },
  },
];

/**
 * Why the AWS checks do not run for a named host: its route makes no AWS call, or the route check
 * could not say. Without a host they check the default chain.
 */
function noAwsCall(run: DoctorRun, found: Found): Finding | undefined {
  if (!run.target) return undefined;
  const { route } = found;
  if (!route) return skipped('needs a route (see route)');
  return route.ecr || route.secret
    ? undefined
    : skipped('not needed: this route makes no AWS call');
}

/**
 * The work of a check that calls AWS with the credentials aws-credentials found, in their region;
 * skipped as noAwsCall() says, or when there are none.
 */
function withCredentials(
  run: DoctorRun,
  found: Found,
  work: (aws: AwsCaller) => Promise<CheckResult<Found>>,
): CheckWork<Found> | Finding {
  const { credentials, region } = found;
  const skip = noAwsCall(run, found);
  if (skip) return skip;
  if (!credentials || region === undefined) return skipped(NEEDS_CREDENTIALS);
  return async (context) =>
    work({ context, sdk: await run.sdk(), agents: await run.awsAgents(), credentials, region });
}

/** What the registry checks are skipped for: the token, or a secret's login. */
function needsLogin(found: Found): string {
  return found.route?.secret ? NEEDS_LOGIN : NEEDS_TOKEN;
}

/**
 * Whose credentials the AWS checks resolve, in which region, for which call: the route's identity,
 * in its registry's region or (a secretsManager route) the secret's, as `get` resolves them.
 * Without a route, the default chain in the environment's region (else us-east-1).
 */
async function routeCall(
  run: DoctorRun,
  found: Found,
  sdk: AwsSdk,
): Promise<Pick<RouteCredentialsOptions, 'identity' | 'region' | 'fips' | 'action'>> {
  const { ecr, secret } = found.route ?? {};
  if (secret) {
    const region = await secretRegion({ ...secret, env: run.env }, sdk);
    return { identity: secret.identity, region, fips: false, action: SECRET_ACTION };
  }
  if (!ecr) {
    const { env } = run;
    const region =
      nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
    return { identity: {}, region, fips: false, action: 'ecr:GetAuthorizationToken' };
  }
  const { registry, identity } = ecr;
  const fips = registry.kind === 'private' && registry.fips;
  return { identity, fips, ...tokenApi(registry) };
}

/** Runs `work` with registry requests that send the login, through agents of this check's own. */
async function withRegistry<T>(
  run: DoctorRun,
  authority: string,
  login: Login,
  context: CallContext,
  work: (get: RegistryGet) => Promise<T>,
): Promise<T> {
  const agents = await run.effects.chooseAgents(run.env);
  try {
    return await work(
      createRegistryClient({
        authority,
        username: login.username,
        password: login.password,
        get: run.effects.httpsGet({
          agents: agents.agents,
          signal: context.signal,
          deadline: context.deadline,
          maxBytes: MAX_RESPONSE_BYTES,
        }),
        secret: (value) => run.secret(value),
        hide: (text) => run.hide(text),
        hideQuoted: (text) => run.hideQuoted(text),
      }),
    );
  } finally {
    agents.destroy();
  }
}
