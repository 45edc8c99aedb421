/**
 * `get-credentials`: the kubelet's image credential provider (docs/kubelet.md). A
 * CredentialProviderRequest on stdin -> a CredentialProviderResponse on stdout, by the same
 * routes, identity, token cache and bound as `get`. A registry with no route gets an empty answer
 * (the kubelet pulls anonymously; no fallback store is asked on a node). The kubelet may keep an
 * answer until the token's refresh point at most, and a login from no cache not at all.
 */
import type { AwsIdentity } from '../aws/aws-identity';
import { parseKubeletSettings, type KubeletSettings } from '../config/kubelet-settings';
import { HelperError, isHelperError } from '../errors';
import {
  decodeKubeletRequest,
  registryOfKubeletImage,
  type KubeletRequest,
} from '../protocol/kubelet-request';
import { encodeKubeletResponse, type KubeletAuth } from '../protocol/kubelet-response';
import { quote, quoteServerUrl } from '../quote';
import { DOCKER_HUB_SERVER } from '../registry/registry-of-image';
import type { Route } from '../routing/route';
import type { RouteTable } from '../routing/route-table';
import { createRoutes } from '../routing/routes';
import { sha256Hex } from '../cache/sha256';
import { isRoleArn } from '../text-checks';
import { answerRoute, describeRoute, type RouteAnswer } from './answer-route';
import type { ActionContext } from './action-context';

/** Docker Hub's names: a route for `index.docker.io` (as docker logs in) serves all of them. */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Answers one kubelet request; `now` is the clock the cache times are read against. */
export async function getCredentialsAction(
  context: ActionContext,
  now: () => number = Date.now,
): Promise<string> {
  context.progress.step = 'reading the CredentialProviderRequest from stdin';
  const request = decodeKubeletRequest(await context.readInput());
  const token = request.serviceAccountToken;
  if (token) context.logger.addSecret(token);
  const registry = registryOfKubeletImage(request.image);
  const route = withServiceAccount(
    kubeletRouteFor(context.config.routes, registry),
    request,
    settingsOf(context),
  );
  context.logger.debug(`get-credentials ${quoteServerUrl(request.image)}: ${describeRoute(route)}`);
  let answer: RouteAnswer | undefined;
  try {
    answer = await answerRoute(route, registry, context);
  } catch (error) {
    // Not-found is an answer: no credentials, and the kubelet pulls anonymously.
    if (!isHelperError(error, 'NOT_FOUND')) throw error;
  }
  if (answer && answer.secret === token) {
    // A route must never hand the pod's own token back as a registry password (docs/kubelet.md).
    throw new HelperError(
      'INTERNAL',
      'internal error: refusing to answer the service-account token',
    );
  }
  const auth: KubeletAuth | null = answer
    ? { key: registry, username: answer.username, password: answer.secret }
    : null;
  return encodeKubeletResponse({
    apiVersion: request.apiVersion,
    cacheDurationMs: answer ? cacheDurationMs(answer, now()) : 0,
    auth,
    ...(token ? { serviceAccountTokenCacheType: 'ServiceAccount' as const } : {}),
  });
}

/**
 * The route of the image's registry. With no config entry for it the answer is empty (the
 * fallback store is for docker's logins, not the node's); Docker Hub's other names share a route
 * written for `index.docker.io`.
 */
export function kubeletRouteFor(table: RouteTable, registry: string): Route {
  const routes = createRoutes({ ...table, fallback: { kind: 'none' } });
  const route = routes.routeFor(registry);
  const unrouted = route.kind === 'store' && route.store.kind === 'none';
  return unrouted && DOCKER_HUB_HOSTS.has(registry.toLowerCase())
    ? routes.routeFor(DOCKER_HUB_SERVER)
    : route;
}

/**
 * The route's identity for a request that carries a service-account token: the role the service
 * account's annotation names, else the route's own roleArn, assumed with the token (the cache
 * keeps the token's subject with the role: two service accounts never share a token). With no
 * role at all, the node's identity only when the settings allow it.
 */
function withServiceAccount(
  route: Route,
  request: KubeletRequest,
  settings: KubeletSettings,
): Route {
  const token = request.serviceAccountToken;
  if (!token || route.kind === 'anonymous' || route.kind === 'store') return route;
  const annotated = request.serviceAccountAnnotations[settings.roleAnnotation];
  const roleArn = annotated ?? route.identity.roleArn;
  if (roleArn === undefined) {
    if (settings.nodeIdentityFallback) return route;
    throw new HelperError(
      'AWS_CREDENTIALS',
      `no IAM role for the pod's service-account token: its service account has no ${quote(settings.roleAnnotation)} annotation and the route of ${quoteServerUrl(registryOfKubeletImage(request.image))} names no roleArn. Annotate the service account with the role to pull as, or set ECR_TS_KUBELET_NODE_FALLBACK=true in the provider's env to pull with the node's identity`,
    );
  }
  if (!isRoleArn(roleArn)) {
    throw new HelperError(
      'CONFIG',
      `the service account's ${quote(settings.roleAnnotation)} annotation is not an IAM role ARN: ${quote(roleArn.slice(0, 200))}`,
    );
  }
  const identity: AwsIdentity = {
    roleArn,
    ...(annotated === undefined && route.identity.sessionName !== undefined
      ? { sessionName: route.identity.sessionName }
      : {}),
    webIdentity: { token, subject: tokenSubject(token) },
  };
  return { ...route, identity };
}

/**
 * Whom a service-account token names, read without verifying it (STS verifies it on the first
 * call; the kubelet, which asked the API server for it, is the only one that runs us): issuer,
 * subject and the service account's uid, pod-independent so every pod of one service account
 * shares one cached token. A token that cannot be read is its own subject (hashed).
 */
function tokenSubject(token: string): string {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss?: unknown;
      sub?: unknown;
      'kubernetes.io'?: { serviceaccount?: { uid?: unknown } };
    };
    const uid = claims['kubernetes.io']?.serviceaccount?.uid;
    if (typeof claims.iss === 'string' && typeof claims.sub === 'string') {
      return JSON.stringify([claims.iss, claims.sub, typeof uid === 'string' ? uid : null]);
    }
  } catch {
    // Not a JWT: fall through.
  }
  return `token:${sha256Hex(token)}`;
}

/**
 * How long the kubelet may keep the answer: until the cache's refresh point of the token, so it
 * asks again when the cache would fetch a new one; half the time left for one from no cache; 0
 * for a delegated helper's login, whose life nobody knows.
 */
function cacheDurationMs(answer: RouteAnswer, at: number): number {
  const { lifetime } = answer;
  if (!lifetime) return 0;
  const until = lifetime.refreshAt ?? at + (lifetime.expiresAt - at) / 2;
  return Math.max(0, Math.min(until, lifetime.expiresAt) - at);
}

function settingsOf(context: ActionContext): KubeletSettings {
  return context.config.kubelet ?? parseKubeletSettings(context.env);
}
