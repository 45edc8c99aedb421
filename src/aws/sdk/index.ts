/**
 * The AWS SDK side of the helper, loaded lazily: the only folder whose files may import
 * `@aws-sdk/*` or `@smithy/*` (eslint enforces it), and reached only through ../load-sdk.ts, so a
 * cache hit never pays for it. Each operation imports its client when first called.
 */
import type { AwsSdk } from '../aws-sdk';
import { assumeRole } from './assume-role';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity';
import { getAuthorizationToken } from './get-authorization-token';
import { getCallerIdentity } from './get-caller-identity';
import { getSecretString } from './get-secret-string';
import { resolveCredentials } from './resolve-credentials';
import { resolveRegion } from './resolve-region';

/**
 * Set when this module is evaluated, i.e. when the SDK is. test/integration/cache-hot-path.test.ts
 * reads it at exit to prove that a cache hit never evaluates the SDK, in the npm package and in
 * the Bun executable alike (where bundled modules leave no other trace).
 */
const SDK_LOADED = Symbol.for('docker-credential-ecr-ts.aws-sdk-loaded');
(globalThis as Record<symbol, unknown>)[SDK_LOADED] = true;

/** What the loader resolves to. */
export const sdk: AwsSdk = {
  resolveCredentials,
  getAuthorizationToken,
  getCallerIdentity,
  assumeRole,
  assumeRoleWithWebIdentity,
  getSecretString,
  resolveRegion,
};
