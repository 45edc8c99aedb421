/**
 * What reading the universal-mode config file costs the hot path: a cache-hit `get` of an ECR
 * host with no config file vs with a 100-entry file (its last entry a pattern covering the host),
 * interleaved. Prints medians, CPU means and the difference; asserts nothing. The issue's target:
 * under 10%.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, tempDir } from '../test/support/env';
import { KeyStore, startFakeEcr } from '../test/support/fake-aws';
import { expectOk, mean, median, timeRun, type Timed } from './measure';

const ROOT = join(__dirname, '..');
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const RUNS = process.argv.includes('--quick') ? 15 : 60;

/** 100 entries of every kind, none but the last covering HOST (which keeps the default identity). */
function hundredEntries(): Record<string, unknown> {
  const registries: Record<string, unknown> = {};
  for (let i = 0; i < 99; i += 1) {
    const kind = i % 4;
    if (kind === 0) registries[`*.team${i}.corp.example`] = { helper: 'pass' };
    else if (kind === 1)
      registries[`registry${i}.example.com`] = {
        secretsManager: `arn:aws:secretsmanager:us-east-1:123456789012:secret:r${i}-AbCdEf`,
      };
    else if (kind === 2) registries[`mirror${i}.example.com:5000`] = { ecr: HOST };
    else registries[`quay${i}.example.io`] = { anonymous: true };
  }
  registries['123456789012.dkr.ecr.*.amazonaws.com'] = {};
  return { fallback: 'file', registries };
}

async function main(): Promise<void> {
  const keys = new KeyStore();
  const key = keys.issue();
  const ecr = await startFakeEcr({ keys });
  const home = tempDir('ecr-ts-bench-config-');
  const file = join(home, 'config.json');
  mkdirSync(home, { recursive: true });
  writeFileSync(file, JSON.stringify(hundredEntries(), null, 2));
  const env = cleanEnv(home, {
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_SESSION_TOKEN: key.sessionToken ?? '',
    AWS_ENDPOINT_URL_ECR: ecr.url,
  });
  const variants = {
    // cleanEnv's XDG_CONFIG_HOME holds no config file: the defaults.
    'no config file': env,
    '100-entry file': { ...env, ECR_TS_CONFIG: file },
  };
  const subjects = [['npm bin', join(ROOT, 'bin', 'docker-credential-ecr-ts')]];
  const sea = join(ROOT, 'dist', 'docker-credential-ecr-ts');
  if (existsSync(sea)) subjects.push(['single executable', sea]);
  process.stdout.write(
    `cache-hit get, no config file vs a 100-entry one (${RUNS} runs each, interleaved)\n`,
  );
  try {
    for (const [name = '', command = ''] of subjects) {
      const get = (which: keyof typeof variants) =>
        timeRun(command, ['get'], { env: variants[which], input: `${HOST}\n` });
      // Prime the cache once; both variants then answer from the same entry.
      expectOk(await get('no config file'), `${name} priming get`);
      const runs: Record<string, Timed[]> = { 'no config file': [], '100-entry file': [] };
      for (let i = 0; i < RUNS; i += 1) {
        const order =
          i % 2
            ? (['100-entry file', 'no config file'] as const)
            : (['no config file', '100-entry file'] as const);
        for (const which of order)
          runs[which]?.push(expectOk(await get(which), `${name} ${which}`));
      }
      if (ecr.tokenCalls() !== 1)
        throw new Error(`expected cache hits, saw ${ecr.tokenCalls()} token calls`);
      const none = runs['no config file'] ?? [];
      const full = runs['100-entry file'] ?? [];
      const wall = (list: Timed[]) => median(list.map((run) => run.ms));
      const cpu = (list: Timed[]) => mean(list.map((run) => run.cpuMs));
      const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
      process.stdout.write(
        `  ${name.padEnd(18)} wall median: ${wall(none).toFixed(1)} ms -> ${wall(full).toFixed(1)} ms (${pct(wall(none), wall(full))})` +
          `   cpu mean: ${cpu(none).toFixed(1)} ms -> ${cpu(full).toFixed(1)} ms (${pct(cpu(none), cpu(full))})\n`,
      );
    }
  } finally {
    await ecr.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
