// `npm run build:bytecode-order`: bundles bench/record-bytecode-order.ts (it shares the tests'
// loopback fakes) with esbuild into .bench/, then runs it against dist/docker-credential-ecr-ts.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.bench', 'record-bytecode-order.cjs');
await build({
  entryPoints: [join(root, 'bench', 'record-bytecode-order.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
execFileSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root });
