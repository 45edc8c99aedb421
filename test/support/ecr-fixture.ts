/**
 * The world most helper tests run in: a fake ECR (and ECR Public) API and a fake container
 * credential endpoint on loopback, sharing one key store, and a temp HOME. Everything is closed
 * and removed after the test that started it (or, started in a beforeAll, after its file).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deferCleanup } from './cleanup';
import { cleanEnv, tempDir } from './env';
import {
  KeyStore,
  startFakeCredentialEndpoint,
  startFakeEcr,
  type FakeCredentialEndpoint,
  type FakeEcr,
} from './fake-aws';
import { ECR_HOST } from './registry-host';
import { runHelper, type RunResult } from './run-helper';

/** How to set up the fakes. */
export interface EcrFixtureOptions {
  /** The registry password the fake ECR issues (default: random, one per call). */
  readonly password?: string;
  /** Token lifetime in seconds (default 12 h). */
  readonly lifetimeSeconds?: number;
  /** Require this Authorization header at the credential endpoint (EKS Pod Identity). */
  readonly authorization?: string;
  /** The credential endpoint's path in AWS_CONTAINER_CREDENTIALS_FULL_URI (default `/creds`). */
  readonly credentialsPath?: string;
  /** false: env() points no AWS credential source at the endpoint (the chain finds nothing). */
  readonly containerCredentials?: boolean;
  /** The temp HOME's name prefix. */
  readonly homePrefix?: string;
}

/** One test's fakes, HOME and a way to run the helper against them. */
export interface EcrFixture {
  readonly keys: KeyStore;
  readonly ecr: FakeEcr;
  readonly creds: FakeCredentialEndpoint;
  readonly home: string;
  /** Where the helper keeps its cache under `home`. */
  readonly cacheDir: string;
  /** Just the variables that point the helper at the fakes (ECR, ECR Public, credentials). */
  readonly fakeEnv: Record<string, string>;
  /** A clean env (see cleanEnv) with every AWS call pointed at the fakes; HOME is `home`. */
  env(extra?: Record<string, string>, home?: string): Record<string, string>;
  /** Runs `get` for `host` (default ECR_HOST) with `env` (default env()). */
  get(options?: {
    host?: string;
    env?: Record<string, string>;
    killAfterMs?: number;
  }): Promise<RunResult>;
  /** Cache entry file names (no temp or lock files). */
  entryFiles(): string[];
  /** Closes the fakes now (they are closed after the test anyway). */
  close(): Promise<void>;
}

/** Starts the fakes and a temp HOME; no cleanup to write. */
export async function startEcrFixture(options: EcrFixtureOptions = {}): Promise<EcrFixture> {
  const keys = new KeyStore();
  const ecr = await startFakeEcr({
    keys,
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.lifetimeSeconds }),
  });
  deferCleanup(() => ecr.close());
  const creds = await startFakeCredentialEndpoint({
    keys,
    ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
  });
  deferCleanup(() => creds.close());
  const home = tempDir(options.homePrefix);
  const cacheDir = join(home, '.cache', 'docker-credential-ecr-ts');
  const credentialsUri = `${creds.url}${options.credentialsPath ?? '/creds'}`;
  const fakeEnv = {
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ENDPOINT_URL_ECR_PUBLIC: ecr.url,
    ...(options.containerCredentials === false
      ? {}
      : { AWS_CONTAINER_CREDENTIALS_FULL_URI: credentialsUri }),
  };
  const env = (extra: Record<string, string> = {}, envHome = home): Record<string, string> =>
    cleanEnv(envHome, { ...fakeEnv, ...extra });
  return {
    keys,
    ecr,
    creds,
    home,
    cacheDir,
    fakeEnv,
    env,
    get: (run = {}) =>
      runHelper({
        args: ['get'],
        input: `${run.host ?? ECR_HOST}\n`,
        env: run.env ?? env(),
        ...(run.killAfterMs === undefined ? {} : { killAfterMs: run.killAfterMs }),
      }),
    entryFiles: () => {
      try {
        return readdirSync(cacheDir).filter((name) => name.endsWith('.json'));
      } catch {
        return [];
      }
    },
    close: async () => {
      await Promise.all([ecr.close(), creds.close()]);
    },
  };
}
