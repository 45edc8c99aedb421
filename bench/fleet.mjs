// `node bench/fleet.mjs [--rounds N] [--machines N]` (after `npm run build`): a fleet of helpers
// starting at once against a throttling fake ECR. Bundles bench/fleet.ts (it shares the tests'
// loopback fakes) with esbuild into .bench/, then runs it. Prints numbers; asserts nothing.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.bench', 'fleet.cjs');
await build({
  entryPoints: [join(root, 'bench', 'fleet.ts')],
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
});
