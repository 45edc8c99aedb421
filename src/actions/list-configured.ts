/**
 * What `list` names from configuration alone, before any token is cached (docs/clients.md#list):
 * the hosts docker's config sends to this helper (`credHelpers` entries naming it, and, when it is
 * the `credsStore`, the secret-less `auths` markers `docker login` leaves) and the literal keys of
 * the helper's own `registries`. GitLab Runner, the classic `docker build` and Testcontainers for
 * Node before 11.6 run `get` only for hosts `list` names. Local files only: no network, no SDK.
 */
import { DOCKER_HELPER_NAME, dockerConfigPath, readDockerConfig } from '../config/docker-config';
import { quoteServerUrl } from '../quote';
import { extractHost } from '../registry/parse-registry';
import type { Route } from '../routing/route';
import type { ActionContext } from './action-context';

/** Server URL -> user name of every registry the configuration names that `get` can answer. */
export function listConfigured(context: ActionContext): Record<string, string> {
  const listed: Record<string, string> = {};
  for (const serverUrl of [...dockerConfigHosts(context), ...routeKeys(context)]) {
    if (Object.hasOwn(listed, serverUrl)) continue;
    let route: Route;
    try {
      route = context.routes.routeFor(serverUrl);
    } catch (error) {
      context.logger.warn(`list: skipping ${quoteServerUrl(serverUrl)}: ${messageOf(error)}`);
      continue;
    }
    const username = userOf(route);
    if (username !== undefined) listed[serverUrl] = username;
  }
  return listed;
}

/**
 * The user name `list` shows for a route, or undefined when `get` would not answer from it: a
 * store's own list speaks for its hosts, and an anonymous route answers nothing. A Secrets
 * Manager login's user name is known only once `get` has read the secret.
 */
function userOf(route: Route): string | undefined {
  switch (route.kind) {
    case 'ecr':
    case 'alias':
      return 'AWS';
    case 'secrets-manager':
      return '';
    case 'anonymous':
    case 'store':
      return undefined;
  }
}

/** The hosts docker's config sends to this helper; a broken file is a warning, not a failure. */
function dockerConfigHosts(context: ActionContext): string[] {
  const path = dockerConfigPath(context.env, context.config.home);
  if (path === null) return [];
  context.progress.step = `reading ${path}`;
  let config;
  try {
    config = readDockerConfig(path);
  } catch (error) {
    context.logger.warn(`list: skipping the docker config: ${messageOf(error)}`);
    return [];
  }
  const helpers = Object.entries(config.credHelpers);
  const ours = helpers.filter(([, name]) => name === DOCKER_HELPER_NAME).map(([host]) => host);
  if (config.credsStore !== DOCKER_HELPER_NAME) return ours;
  // With credsStore, a host docker sends to another credHelpers entry is not ours.
  const elsewhere = new Set(
    helpers.filter(([, name]) => name !== DOCKER_HELPER_NAME).map(([host]) => extractHost(host)),
  );
  return [...ours, ...config.markers.filter((key) => !elsewhere.has(extractHost(key)))];
}

/** The literal keys of the config file's `registries`, in its order (patterns name no host). */
function routeKeys(context: ActionContext): string[] {
  return context.config.routes
    .entries()
    .filter((entry) => entry.pattern.literal)
    .map((entry) => entry.key);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
