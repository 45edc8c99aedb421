// `node bench/fleet-simulation.mjs [--runs N]`: bundles bench/fleet-simulation.ts with esbuild into
// .bench/, then runs it. Prints numbers; asserts nothing.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.bench', 'fleet-simulation.cjs');
await build({
  entryPoints: [join(root, 'bench', 'fleet-simulation.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
execFileSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
