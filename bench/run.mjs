// `npm run bench`: bundles the TypeScript benchmark (it shares the tests' loopback fakes) with
// esbuild into .bench/, then runs it. Prints numbers; asserts nothing.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bunPath, BUN_VERSION } from '../scripts/bun-path.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.bench', 'bench.cjs');
await build({
  entryPoints: [join(root, 'bench', 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
execFileSync(process.execPath, [outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, ECR_TS_BENCH_BUN: bunPath(), ECR_TS_BENCH_BUN_VERSION: BUN_VERSION },
});
