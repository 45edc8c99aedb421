// `npm run bench`: runs the TypeScript benchmark bench/bench.ts (bench/bundle-bench.mjs) with the
// staged build and the probes it compares against. Prints numbers; asserts nothing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bunPath, BUN_VERSION } from '../scripts/bun-path.mjs';
import { bundleBench, ROOT as root } from './bundle-bench.mjs';

const bench = await bundleBench('bench');

// The executable built like the real one, but able to stop after each stage of a start, so the
// bench can say where a warm get's time goes (ECR_TS_BENCH_STAGE: start | init | unset = run).
const staged = join(root, '.bench', 'staged');
if (existsSync(join(root, 'dist', 'docker-credential-ecr-ts'))) {
  mkdirSync(dirname(staged), { recursive: true });
  const entry = join(root, '.bench', 'staged-entry.ts');
  writeFileSync(
    entry,
    `const stage = process.env['ECR_TS_BENCH_STAGE'];
if (stage === 'start') process.exit(0);
const { main } = await import('../src/main');
if (stage === 'init') process.exit(0);
void main();
`,
  );
  execFileSync(bunPath(), [join(root, 'scripts', 'bun-compile.mjs'), staged, '', entry], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

// The probes (bench/probes/): the smallest programs doing a warm and a cold get's work, compiled
// with the same Bun and flags as the executable, so the bench can show what no code of ours costs.
const probes = {};
for (const name of ['warm-get', 'cold-get']) {
  const probe = join(root, '.bench', `probe-${name}`);
  execFileSync(
    bunPath(),
    [
      'build',
      '--compile',
      '--bytecode',
      '--minify',
      '--format=esm',
      '--no-compile-autoload-dotenv',
      '--no-compile-autoload-bunfig',
      '--compile-jit-policy=1000',
      join(root, 'bench', 'probes', `${name}.ts`),
      '--outfile',
      probe,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  probes[name] = probe;
}

bench({
  ...process.env,
  ECR_TS_BENCH_BUN: bunPath(),
  ECR_TS_BENCH_BUN_VERSION: BUN_VERSION,
  ECR_TS_BENCH_STAGED: staged,
  ECR_TS_BENCH_WARM_PROBE: probes['warm-get'],
  ECR_TS_BENCH_COLD_PROBE: probes['cold-get'],
});
