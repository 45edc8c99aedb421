/**
 * Which AWS credential sources the SDK's default Node chain would consult, in its order, read from
 * the environment alone (no SDK, no network). Used for "no credentials" messages, `doctor` and
 * timeouts. Never includes a secret: the ECS relative URI is a capability, so only its host shows.
 */
import type { Env } from '../env';
import { isTrue, nonEmpty } from '../env';

/** One link of the default credential chain. */
export interface CredentialSource {
  readonly name: 'environment' | 'sso' | 'shared-config' | 'web-identity' | 'container' | 'imds';
  /** Human description, safe to print. */
  readonly label: string;
  /** Whether the environment selects this source (shared config is always consulted). */
  readonly configured: boolean;
}

const ECS_HOST = 'http://169.254.170.2';

/** Lists the default chain's sources in the SDK's order, marking which ones env configures. */
export function credentialSources(env: Env): CredentialSource[] {
  const profile = nonEmpty(env['AWS_PROFILE']) ?? 'default';
  const relative = nonEmpty(env['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']);
  const full = nonEmpty(env['AWS_CONTAINER_CREDENTIALS_FULL_URI']);
  const imdsDisabled = isTrue(env['AWS_EC2_METADATA_DISABLED']);
  return [
    {
      name: 'environment',
      label: 'environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      configured: Boolean(
        nonEmpty(env['AWS_ACCESS_KEY_ID']) && nonEmpty(env['AWS_SECRET_ACCESS_KEY']),
      ),
    },
    {
      name: 'shared-config',
      label: `profile "${profile}" in ~/.aws/config and ~/.aws/credentials (SSO, credential_process, assume-role)`,
      configured: Boolean(nonEmpty(env['AWS_PROFILE'])),
    },
    {
      name: 'web-identity',
      label: 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)',
      configured: Boolean(
        nonEmpty(env['AWS_WEB_IDENTITY_TOKEN_FILE']) && nonEmpty(env['AWS_ROLE_ARN']),
      ),
    },
    {
      name: 'container',
      label: relative
        ? `container credentials endpoint ${ECS_HOST} (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)`
        : full
          ? `container credentials endpoint ${safeOrigin(full)} (AWS_CONTAINER_CREDENTIALS_FULL_URI)`
          : 'container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI not set)',
      configured: Boolean(relative ?? full),
    },
    {
      name: 'imds',
      label: imdsDisabled
        ? 'EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)'
        : 'EC2 instance metadata (IMDS)',
      configured: !imdsDisabled,
    },
  ];
}

/** One line naming every source the chain tried, for the "no credentials" error. */
export function describeTriedSources(env: Env): string {
  return credentialSources(env)
    .map((source) => source.label)
    .join('; ');
}

/** A URL's origin, without path, user name or password, for messages. */
export function safeOrigin(url: string, what = 'URL'): string {
  try {
    return new URL(url).origin;
  } catch {
    return `(unparseable ${what})`;
  }
}
