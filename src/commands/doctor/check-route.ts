/**
 * `route`: what the helper does for the host, and where that decision came from (the universal
 * mode config file, or the built-in defaults): doctor-effects.ts resolves it with src/routing/.
 */
import type { Route } from '../../routing/route';
import { failed, passed, skipped, type CheckResult, type Finding } from './check';
import type { AwsIdentity } from '../../aws/aws-identity';
import type { SecretRequest } from '../../aws/token';
import type { EcrRegistry } from '../../registry/parse-registry';

/** A route and the config file (or built-in rule) it came from. */
export interface RouteResolution {
  readonly route: Route;
  readonly source: string;
}

/** The secret a secretsManager route reads the login from, in its region, as its identity. */
export type SecretSource = Pick<SecretRequest, 'secretId' | 'region' | 'identity'>;

/**
 * What the AWS checks need of a route: the ECR registry and identity a token is minted for (ecr
 * and alias routes), or the secret (secretsManager routes). Neither: the route makes no AWS call.
 */
export interface RouteFacts {
  readonly ecr?: { readonly registry: EcrRegistry; readonly identity: AwsIdentity };
  readonly secret?: SecretSource;
}

/**
 * Describes a resolved route for a host. `helperPath`: where PATH has the helper a store route
 * delegates to (undefined: not on PATH, and `get` fails).
 */
export function checkRoute(
  host: string,
  resolution: RouteResolution,
  helperPath?: string,
): Required<CheckResult<RouteFacts>> {
  const { route, source } = resolution;
  const from = `; decided by ${source}`;
  switch (route.kind) {
    case 'ecr':
      return {
        finding: passed(
          `${host}: ${describeEcr(route.registry)}${describeIdentity(route.identity)}${from}`,
        ),
        value: { ecr: { registry: route.registry, identity: route.identity } },
      };
    case 'alias':
      return {
        finding: passed(
          `${host}: alias of ${route.target.host}, ${describeEcr(route.target)}${describeIdentity(route.identity)}${from}`,
        ),
        value: { ecr: { registry: route.target, identity: route.identity } },
      };
    case 'secrets-manager':
      return {
        finding: passed(
          `${host}: user name and password from Secrets Manager secret ${route.secretId}${describeIdentity(route.identity)}${from}`,
        ),
        value: { secret: route },
      };
    case 'anonymous':
      return { finding: passed(`${host}: anonymous (not-found at once)${from}`), value: {} };
    case 'store': {
      const { store } = route;
      if (store.kind === 'none') {
        return {
          finding: failed(
            `${host} is not an ECR host: get answers not-found and docker pulls anonymously${from}`,
            'Check the host (a private ECR host is <12-digit account>.dkr.ecr.<region>.amazonaws.com).',
          ),
          value: {},
        };
      }
      if (store.kind === 'file') {
        return {
          finding: passed(`${host}: delegated to the built-in file store${from}`),
          value: {},
        };
      }
      const program = `docker-credential-${store.name}`;
      if (helperPath === undefined) {
        return {
          finding: failed(
            `${host}: delegated to ${program}, which is not on PATH: get fails${from}`,
            `Install ${program} into a folder on PATH, or change the route or "fallback" that names "${store.name}" in the config file.`,
          ),
          value: {},
        };
      }
      return {
        finding: passed(`${host}: delegated to ${program} (${helperPath})${from}`),
        value: {},
      };
    }
  }
}

/** The route check when no registry was named. */
export function noRoute(): Finding {
  return skipped('no registry named', 'Name one: doctor <registry or image>.');
}

function describeEcr(registry: EcrRegistry): string {
  if (registry.kind === 'public') {
    return 'ECR Public, token from ecr-public:GetAuthorizationToken in us-east-1';
  }
  const flags = [registry.fips ? 'FIPS' : '', registry.dualStack ? 'dual-stack' : '']
    .filter(Boolean)
    .join(', ');
  return `private ECR of account ${registry.accountId} in ${registry.region} (${registry.partition}${flags ? `, ${flags}` : ''}), token from ecr:GetAuthorizationToken`;
}

function describeIdentity(identity: AwsIdentity): string {
  const parts = [
    identity.profile ? `profile "${identity.profile}"` : '',
    identity.roleArn ? `role ${identity.roleArn}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `, as ${parts.join(' then ')}` : '';
}
