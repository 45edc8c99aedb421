// `node bench/config-file.mjs [--quick]` (after `npm run build`): what reading a 100-entry config
// file costs a cache-hit `get`. Bundles bench/config-file.ts (it shares the tests' loopback fakes)
// with esbuild into .bench/, then runs it. Prints numbers; asserts nothing.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.bench', 'config-file.cjs');
await build({
  entryPoints: [join(root, 'bench', 'config-file.ts')],
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
