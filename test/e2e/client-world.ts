/**
 * The world a real Docker client runs in for the e2e tests: a temp HOME and DOCKER_CONFIG, the
 * helper first on PATH under its real name, a fake credential endpoint and ECR API, and a fake
 * engine behind DOCKER_HOST. Nothing in it can reach past loopback.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferCleanup } from '../support/cleanup';
import { startEcrFixture } from '../support/ecr-fixture';
import type { FakeCredentialEndpoint, FakeEcr } from '../support/fake-aws';
import { startFakeEngine, type FakeEngine, type FakeEngineOptions } from '../support/fake-engine';
import { installRecordingHelper, readHelperCalls, type HelperCall } from './recording-helper';

/** A running client world, closed and removed after the test (or file) that started it. */
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
  /** Closes the fakes now (they are closed after the test anyway). */
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
  const fx = await startEcrFixture({
    homePrefix: 'ecr-ts-e2e-',
    credentialsPath: '/v1/credentials',
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.awsCredentials === false ? { containerCredentials: false } : {}),
  });
  const { home, ecr, creds } = fx;
  const binDir = join(home, 'bin');
  const recordDir = join(home, 'helper-calls');
  const dockerConfigDir = join(home, 'docker-config');
  for (const dir of [binDir, recordDir, dockerConfigDir]) mkdirSync(dir, { recursive: true });
  installRecordingHelper(binDir, recordDir);
  writeFileSync(join(dockerConfigDir, 'config.json'), JSON.stringify(options.dockerConfig));
  const engine = await startFakeEngine(options.engine);
  deferCleanup(() => engine.close());
  const env = fx.env({
    PATH: `${binDir}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
    DOCKER_CONFIG: dockerConfigDir,
    DOCKER_HOST: engine.dockerHost,
    // The CLI must never try to reach a real daemon, registry or telemetry collector.
    DOCKER_CLI_HINTS: 'false',
    ...options.env,
  });
  return {
    home,
    dockerConfigDir,
    env,
    ecr,
    creds,
    engine,
    calls: () => readHelperCalls(recordDir),
    async close() {
      await Promise.all([fx.close(), engine.close()]);
    },
  };
}
