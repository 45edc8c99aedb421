/**
 * Whether the environment overrides a service's endpoint the way the SDK reads it. With an
 * override the SDK rejects FIPS and dual-stack ("... and custom endpoint are not supported"), so
 * the override decides the endpoint alone. Pure: reads env only (an `endpoint_url` in the shared
 * config file is not seen here; the SDK's error then says what conflicts).
 */
import type { Env } from '../env';
import { isTrue, nonEmpty } from '../env';

/** The SDK's environment suffix of each service this helper calls. */
type EndpointService = 'ECR' | 'ECR_PUBLIC' | 'STS';

/** True when AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL is set and not ignored. */
export function hasEndpointOverride(env: Env, service: EndpointService): boolean {
  if (isTrue(env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'])) return false;
  return Boolean(nonEmpty(env[`AWS_ENDPOINT_URL_${service}`]) ?? nonEmpty(env['AWS_ENDPOINT_URL']));
}
