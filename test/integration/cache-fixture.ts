/** Shared set-up of the token cache's integration tests: fakes on loopback and a helper runner. */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, tempDir } from '../support/env';
import {
  KeyStore,
  startFakeCredentialEndpoint,
  startFakeEcr,
  type FakeCredentialEndpoint,
  type FakeEcr,
} from '../support/fake-aws';
import { runHelper, type RunResult } from '../support/run-helper';

/** The private registry most tests ask for. */
export const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

/** A fake ECR and container credential endpoint, and a temp HOME for the helper. */
export interface CacheFixture {
  readonly keys: KeyStore;
  readonly ecr: FakeEcr;
  readonly creds: FakeCredentialEndpoint;
  readonly home: string;
  /** Where the helper keeps its cache under this HOME. */
  readonly cacheDir: string;
  /** A clean env pointing every AWS call at the fakes. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Runs `get` for `host`. */
  get(options?: { host?: string; env?: Record<string, string> }): Promise<RunResult>;
  /** Cache entry file names (no temp or lock files). */
  entryFiles(): string[];
  close(): Promise<void>;
}

/** Starts the fakes; always `close()` in a finally. */
export async function startCacheFixture(
  options: { lifetimeSeconds?: number } = {},
): Promise<CacheFixture> {
  const keys = new KeyStore();
  const ecr = await startFakeEcr({
    keys,
    ...(options.lifetimeSeconds ? { lifetimeSeconds: options.lifetimeSeconds } : {}),
  });
  const creds = await startFakeCredentialEndpoint({ keys });
  const home = tempDir('ecr-ts-cache-');
  const cacheDir = join(home, '.cache', 'docker-credential-ecr-ts');
  const env = (extra: Record<string, string> = {}): Record<string, string> =>
    cleanEnv(home, {
      AWS_ENDPOINT_URL_ECR: ecr.url,
      AWS_ENDPOINT_URL_ECR_PUBLIC: ecr.url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/creds`,
      ...extra,
    });
  return {
    keys,
    ecr,
    creds,
    home,
    cacheDir,
    env,
    get: (run = {}) =>
      runHelper({ args: ['get'], input: `${run.host ?? HOST}\n`, env: run.env ?? env() }),
    entryFiles: () => {
      try {
        return readdirSync(cacheDir).filter((name) => name.endsWith('.json'));
      } catch {
        return [];
      }
    },
    close: async () => {
      await ecr.close();
      await creds.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The Secret of a successful `get` answer (throws with the run's output otherwise). */
export function secretOf(result: RunResult): string {
  if (result.code !== 0) {
    throw new Error(`helper failed (${result.code}): ${result.stdout} ${result.stderr}`);
  }
  const answer = JSON.parse(result.stdout) as { Secret?: unknown };
  if (typeof answer.Secret !== 'string') throw new Error(`no Secret in ${result.stdout}`);
  return answer.Secret;
}
