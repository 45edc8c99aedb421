/**
 * The world a real Docker client runs in for the e2e tests: a temp HOME and DOCKER_CONFIG, the
 * helper first on PATH under its real name, a fake credential endpoint and ECR API, and a fake
 * engine behind DOCKER_HOST. Nothing in it can reach past loopback.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { HELPER_BIN } from '../support/run-helper';

/** One run of the helper as a client started it. */
export interface HelperCall {
  readonly args: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

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

/**
 * The helper on PATH is a small recording wrapper around HELPER_BIN (the JavaScript build, or the
 * single executable when HELPER_BIN says so): it passes stdin, stdout, stderr and the exit status
 * through unchanged and keeps a copy of each for the test.
 */
function writeRecordingHelper(binDir: string, recordDir: string): void {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const script = [
    '#!/bin/bash',
    `record=${quote(recordDir)}/$(date +%s%N)-$$`,
    `${quote(HELPER_BIN)} "$@" >"$record.out" 2>"$record.err"`,
    'code=$?',
    'printf %s "$*" >"$record.args"',
    'printf %s "$code" >"$record.code"',
    'cat "$record.out"',
    'cat "$record.err" >&2',
    'exit "$code"',
    '',
  ].join('\n');
  const path = join(binDir, 'docker-credential-ecr-ts');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
}

function readCalls(recordDir: string): HelperCall[] {
  const names = readdirSync(recordDir)
    .filter((name) => name.endsWith('.code'))
    .map((name) => name.slice(0, -'.code'.length))
    .sort();
  const read = (base: string, ext: string) => readFileSync(join(recordDir, base + ext), 'utf8');
  return names.map((base) => ({
    args: read(base, '.args'),
    code: Number(read(base, '.code')),
    stdout: read(base, '.out'),
    stderr: read(base, '.err'),
  }));
}

/** Starts the fakes and writes `dockerConfig` as DOCKER_CONFIG/config.json. */
export async function startClientWorld(options: {
  dockerConfig: object;
  engine?: FakeEngineOptions;
  /** A fixed registry password for the fake ECR to issue. */
  password?: string;
  /** Extra environment for the client and the helper. */
  env?: Record<string, string>;
}): Promise<ClientWorld> {
  const home = tempDir('ecr-ts-e2e-');
  const binDir = join(home, 'bin');
  const recordDir = join(home, 'helper-calls');
  const dockerConfigDir = join(home, 'docker-config');
  for (const dir of [binDir, recordDir, dockerConfigDir]) mkdirSync(dir, { recursive: true });
  writeRecordingHelper(binDir, recordDir);
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
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/v1/credentials`,
    ...options.env,
  };
  return {
    home,
    dockerConfigDir,
    env,
    ecr,
    creds,
    engine,
    calls: () => readCalls(recordDir),
    async close() {
      await Promise.all([ecr.close(), creds.close(), engine.close()]);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
