/**
 * doctor's checks as data (docs/doctor.md): the links of the chain from the docker config to the
 * image, in the order run-doctor.ts runs and prints them. Each says, from what the checks before
 * it found, whether it runs (and with what) or why it is skipped, and what it hands on; the
 * check-*.ts files judge. Effects come from the DoctorEffects seam.
 */
import type { AwsCredentials, AwsSdk } from '../../aws/aws-sdk';
import type { AgentChoice } from '../../aws/http-agents';
import type { EcrToken } from '../../aws/token';
import type { CallContext } from '../../call-context';
import { nonEmpty, type Env } from '../../env';
import type { EcrRegistry } from '../../registry/parse-registry';
import { dockerConfigFile } from '../configure';
import { HELPER_SUFFIX } from '../plan-configure';
import { skipped, type CheckName, type Finding } from './check';
import { checkAuthorizationToken } from './check-authorization-token';
import { checkAwsCredentials } from './check-aws-credentials';
import { checkCallerIdentity } from './check-caller-identity';
import { checkDockerConfig } from './check-docker-config';
import { checkHelperOnPath } from './check-helper-on-path';
import { checkImage } from './check-image';
import { checkRegistry } from './check-registry';
import { checkRoute, noRoute, type RouteResult } from './check-route';
import type { DoctorEffects } from './doctor-effects';
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
}

/** What the checks so far established, for the ones after them. */
export interface Found {
  /** The helper docker runs for the host (`ecr-ts` for docker-credential-ecr-ts). */
  readonly helper?: string;
  readonly route?: RouteResult;
  readonly credentials?: AwsCredentials;
  /** The caller's ARN. */
  readonly principal?: string;
  readonly token?: EcrToken;
}

/** A check's finding, and what it established. */
export interface CheckResult {
  readonly finding: Finding;
  readonly found?: Found;
}

/** Runs one check within its own bound (`context`: its deadline, signal and progress). */
export type CheckWork = (context: CallContext) => Promise<CheckResult>;

/** One link of the chain. */
interface DoctorCheck {
  readonly name: CheckName;
  /** The work of the check, or the (skipped) finding when it cannot or need not run. */
  prepare(run: DoctorRun, found: Found): CheckWork | Finding;
}

/** Registry responses are read up to this size; a manifest index is far smaller. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const NEEDS_CREDENTIALS = 'needs AWS credentials (see aws-credentials)';
const NEEDS_TOKEN = 'needs a token (see authorization-token)';

/** The checks, in the order they run and print. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  // Docker's side: which file, which helper, and that the helper is there.
  {
    name: 'docker-config',
    prepare: (run) => async () => {
      const file = dockerConfigFile(run.env);
      let text: string | null = null;
      let readError: string | undefined;
      try {
        text = await run.effects.readText(file);
      } catch (error) {
        readError = (error as NodeJS.ErrnoException).code ?? String(error);
      }
      const { finding, helper } = checkDockerConfig({
        file,
        fromEnv: nonEmpty(run.env['DOCKER_CONFIG']) !== undefined,
        text,
        ...(readError !== undefined ? { readError } : {}),
        ...(run.target ? { host: run.target.authority } : {}),
      });
      return { finding, found: helper !== undefined ? { helper } : {} };
    },
  },
  {
    name: 'helper-on-path',
    prepare: (run, found) => async (context) => ({
      finding: await checkHelperOnPath(found.helper ?? HELPER_SUFFIX, run.effects, context),
    }),
  },
  // The helper's side: the route, the AWS identity, the token.
  {
    name: 'route',
    prepare: ({ target, effects }) => {
      if (!target) return noRoute();
      return async () => {
        const route = checkRoute(target.authority, effects.resolveRoute(target.registry));
        return { finding: route.finding, found: { route } };
      };
    },
  },
  {
    name: 'aws-credentials',
    prepare: (run, found) =>
      noAwsCall(run, found) ??
      (async (context) => {
        const agentChoice = await run.awsAgents();
        context.progress.step = 'loading the AWS SDK';
        const ecr = found.route?.ecr;
        const { finding, credentials } = await checkAwsCredentials({
          context,
          sdk: await run.sdk(),
          agentChoice,
          region: awsRegion(run.env, ecr?.registry),
          identity: ecr?.identity ?? {},
          fips: ecr?.registry.kind === 'private' && ecr.registry.fips,
          action:
            ecr?.registry.kind === 'public'
              ? 'ecr-public:GetAuthorizationToken'
              : 'ecr:GetAuthorizationToken',
          now: run.effects.now,
        });
        if (!credentials) return { finding };
        for (const value of [credentials.secretAccessKey, credentials.sessionToken]) {
          if (value) run.secret(value);
        }
        return { finding, found: { credentials } };
      }),
  },
  {
    name: 'caller-identity',
    prepare: (run, found) => {
      const { credentials } = found;
      const registry = found.route?.ecr?.registry;
      const skip = noAwsCall(run, found);
      if (skip) return skip;
      if (!credentials) return skipped(NEEDS_CREDENTIALS);
      return async (context) => {
        const { finding, arn } = await checkCallerIdentity({
          context,
          sdk: await run.sdk(),
          agents: (await run.awsAgents()).agents,
          credentials,
          region: awsRegion(run.env, registry),
          ...(registry?.kind === 'private' ? { registryAccount: registry.accountId } : {}),
        });
        return { finding, found: arn ? { principal: arn } : {} };
      };
    },
  },
  {
    name: 'authorization-token',
    prepare: (run, found) => {
      const { credentials } = found;
      const ecr = found.route?.ecr;
      const skip = noAwsCall(run, found);
      if (skip) return skip;
      if (!ecr) return skipped(run.target ? 'this route needs no ECR token' : 'no registry named');
      if (!credentials) return skipped(NEEDS_CREDENTIALS);
      return async (context) => {
        const { finding, token } = await checkAuthorizationToken({
          context,
          sdk: await run.sdk(),
          agents: await run.awsAgents(),
          credentials,
          registry: ecr.registry,
          cache: run.effects.cacheState(ecr.registry, ecr.identity),
          now: run.effects.now,
        });
        if (!token) return { finding };
        run.secret(token.password);
        return { finding, found: { token } };
      };
    },
  },
  // The registry's side: the token, then the image (the second permission check).
  {
    name: 'registry',
    prepare: (run, { token }) => {
      const { target } = run;
      if (!target) return skipped('no registry named');
      if (!token) return skipped(NEEDS_TOKEN);
      return (context) =>
        withRegistry(run, target.authority, token, context, async (get) => ({
          finding: await checkRegistry({ authority: target.authority, get }),
        }));
    },
  },
  {
    name: 'image',
    prepare: (run, { token, route, principal }) => {
      const { target } = run;
      const image = target?.image;
      if (!target || !image) return skipped('no image named (give host/repository:tag)');
      if (!token) return skipped(NEEDS_TOKEN);
      return (context) =>
        withRegistry(run, target.authority, token, context, async (get) => ({
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
  if (!found.route) return skipped('needs a route (see route)');
  return found.route.usesAws ? undefined : skipped('not needed: this route makes no AWS call');
}

/** The region of the AWS calls: the registry's, else the environment's, else us-east-1. */
function awsRegion(env: Env, registry: EcrRegistry | undefined): string {
  if (registry) return registry.kind === 'private' ? registry.region : 'us-east-1';
  return nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
}

/** Runs `work` with registry requests that send the token, through agents of this check's own. */
async function withRegistry<T>(
  run: DoctorRun,
  authority: string,
  token: EcrToken,
  context: CallContext,
  work: (get: RegistryGet) => Promise<T>,
): Promise<T> {
  const agents = await run.effects.chooseAgents(run.env);
  try {
    return await work(
      createRegistryClient({
        authority,
        username: token.username,
        password: token.password,
        get: run.effects.httpsGet({
          agents: agents.agents,
          signal: context.signal,
          deadline: context.deadline,
          maxBytes: MAX_RESPONSE_BYTES,
        }),
        secret: (value) => run.secret(value),
      }),
    );
  } finally {
    agents.destroy();
  }
}
