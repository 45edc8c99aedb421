/**
 * The one way to the AWS SDK: loads src/aws/sdk/ the first time an AWS call is needed, so a cache
 * hit never pays for it. In the npm package, the build keeps `./sdk` out of the main bundle
 * (scripts/build.mjs) and this is a load of dist/aws-sdk.cjs. In the executable, Bun's bundle holds
 * it as a module evaluated only when this require runs.
 */
import type { AwsSdk } from './aws-sdk';

/** Loads the SDK module (see aws-sdk.ts for what it offers). */
export async function loadSdk(): Promise<AwsSdk> {
  // require, not import(): the bundles are CommonJS, and import() would start Node's ESM loader
  // for one CommonJS file (slower), and fails where a host (jest) hooks dynamic imports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('./sdk') as typeof import('./sdk');
  return module.sdk;
}
