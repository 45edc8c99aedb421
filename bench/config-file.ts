/**
 * What reading the universal-mode config file costs the hot path: a cache-hit `get` of an ECR
 * host with no config file vs with a 100-entry file (its last entry a pattern covering the host),
 * interleaved. The helper checks a file whole once per text (src/cache/validation-record.ts), so
 * the file is measured twice: as it is on every call but the first after an edit, and edited
 * before each call (checked whole every time: the cost an edit adds to the next call). Prints
 * wall medians, CPU means and the differences; asserts nothing. The issue's target: under 10%.
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
  const text = JSON.stringify(hundredEntries(), null, 2);
  const file = join(home, 'config.json');
  const edited = join(home, 'edited.json');
  mkdirSync(home, { recursive: true });
  writeFileSync(file, text);
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
    // Another file: the helper keeps one record per config file, of its latest text.
    'edited each call': { ...env, ECR_TS_CONFIG: edited },
  };
  type Variant = keyof typeof variants;
  const names = Object.keys(variants) as Variant[];
  const subjects = [['npm bin', join(ROOT, 'bin', 'docker-credential-ecr-ts')]];
  const sea = join(ROOT, 'dist', 'docker-credential-ecr-ts');
  if (existsSync(sea)) subjects.push(['single executable', sea]);
  process.stdout.write(
    `cache-hit get: no config file vs a 100-entry one, as checked before and edited before each call (${RUNS} runs each, interleaved; CPU in clock ticks, so only its mean over many runs says anything)\n`,
  );
  let edits = 0;
  try {
    for (const [name = '', command = ''] of subjects) {
      const get = (which: Variant) => {
        // Another text each time (one more trailing newline): never checked before.
        if (which === 'edited each call') writeFileSync(edited, `${text}${'\n'.repeat(++edits)}`);
        return timeRun(command, ['get'], { env: variants[which], input: `${HOST}\n` });
      };
      // Prime the cache once; every variant then answers from the same entry.
      expectOk(await get('no config file'), `${name} priming get`);
      const runs = new Map<Variant, Timed[]>(names.map((which) => [which, []]));
      for (let i = 0; i < RUNS; i += 1) {
        // Each variant first, second and last in turn.
        const order = names.map((_, k) => names[(i + k) % names.length] as Variant);
        for (const which of order)
          runs.get(which)?.push(expectOk(await get(which), `${name} ${which}`));
      }
      if (ecr.tokenCalls() !== 1)
        throw new Error(`expected cache hits, saw ${ecr.tokenCalls()} token calls`);
      const wall = (list: Timed[]) => median(list.map((run) => run.ms));
      const cpu = (list: Timed[]) => mean(list.map((run) => run.cpuMs));
      const pct = (a: number, b: number) =>
        `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)}%`;
      const none = runs.get('no config file') ?? [];
      process.stdout.write(
        `  ${name.padEnd(18)} no config file:   wall median ${wall(none).toFixed(1)} ms, cpu mean ${cpu(none).toFixed(1)} ms\n`,
      );
      for (const which of names.slice(1)) {
        const list = runs.get(which) ?? [];
        process.stdout.write(
          `  ${''.padEnd(18)} ${`${which}:`.padEnd(17)} wall median ${wall(list).toFixed(1)} ms (${pct(wall(none), wall(list))}), cpu mean ${cpu(list).toFixed(1)} ms (${pct(cpu(none), cpu(list))})\n`,
        );
      }
    }
  } finally {
    await ecr.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
