/**
 * The world a real Docker client runs in for the e2e tests: a temp HOME and DOCKER_CONFIG, the
 * helper first on PATH under its real name, a fake credential endpoint and ECR API, and a fake
 * engine behind DOCKER_HOST. Nothing in it can reach past loopback.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, tempDir } from '../support/env';
import {
  KeyStore,
  startFakeCredentialEndpoint,
  startFakeEcr,
  type FakeCredentialEndpoint,
  type FakeEcr,
} from '../support/fake-aws';
import { startFakeEngine, type FakeEngine, type FakeEngineOptions } from '../support/fake-engine';
import { installRecordingHelper, readHelperCalls, type HelperCall } from './recording-helper';

/** A running client world; `close` removes everything it made. */
export interface ClientWorld {
  readonly home: string;
  readonly dockerConfigDir: string;
  /** The environment for the client (docker, python3): it passes it on to the helper. */
  readonly env: Record<string, string>;
  readonly ecr: FakeEcr;
  readonly creds: FakeCredentialEndpoint;
  readonly engine: FakeEngine;
  /** Every helper run the clients made so far, in order. */
  calls(): HelperCall[];
  close(): Promise<void>;
}

/** Starts the fakes and writes `dockerConfig` as DOCKER_CONFIG/config.json. */
export async function startClientWorld(options: {
  dockerConfig: object;
  engine?: FakeEngineOptions;
  /** A fixed registry password for the fake ECR to issue. */
  password?: string;
  /** Extra environment for the client and the helper. */
  env?: Record<string, string>;
  /** false: no AWS credential source at all (the helper's chain finds nothing). */
  awsCredentials?: boolean;
}): Promise<ClientWorld> {
  const home = tempDir('ecr-ts-e2e-');
  const binDir = join(home, 'bin');
  const recordDir = join(home, 'helper-calls');
  const dockerConfigDir = join(home, 'docker-config');
  for (const dir of [binDir, recordDir, dockerConfigDir]) mkdirSync(dir, { recursive: true });
  installRecordingHelper(binDir, recordDir);
  writeFileSync(join(dockerConfigDir, 'config.json'), JSON.stringify(options.dockerConfig));
  const keys = new KeyStore();
  const ecr = await startFakeEcr({
    keys,
    ...(options.password === undefined ? {} : { password: options.password }),
  });
  const creds = await startFakeCredentialEndpoint({ keys });
  const engine = await startFakeEngine(options.engine);
  const base = cleanEnv(home);
  const env = {
    ...base,
    PATH: `${binDir}:${base['PATH'] ?? '/usr/bin:/bin'}`,
    DOCKER_CONFIG: dockerConfigDir,
    DOCKER_HOST: engine.dockerHost,
    // The CLI must never try to reach a real daemon, registry or telemetry collector.
    DOCKER_CLI_HINTS: 'false',
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ENDPOINT_URL_ECR_PUBLIC: ecr.url,
    ...(options.awsCredentials === false
      ? {}
      : { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/v1/credentials` }),
    ...options.env,
  };
  return {
    home,
    dockerConfigDir,
    env,
    ecr,
    creds,
    engine,
    calls: () => readHelperCalls(recordDir),
    async close() {
      await Promise.all([ecr.close(), creds.close(), engine.close()]);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
