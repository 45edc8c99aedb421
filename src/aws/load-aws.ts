/**
 * Loads the AWS side on demand, so a cache hit never pays for parsing the SDK. The build keeps
 * `./index` out of the main bundle (see scripts/build.mjs), making this a separate file load.
 */
import type { AwsModule } from './token';

/** Imports the AWS module (and with it the SDK) the first time a token must be fetched. */
export async function loadAws(): Promise<AwsModule> {
  const module = await import('./index');
  return module.awsModule;
}
