// The one way the bench scripts (and `npm run build:bytecode-order`) run their TypeScript:
// bench/<name>.ts, which may import the tests' loopback fakes from test/support/, bundled with
// esbuild into .bench/<name>.cjs and run on this Node with this process's arguments.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles bench/<name>.ts; the returned function runs the bundle (in ROOT, with `env`). */
export async function bundleBench(name) {
  const outfile = join(ROOT, '.bench', `${name}.cjs`);
  await build({
    entryPoints: [join(ROOT, 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return (env = process.env) =>
    execFileSync(process.execPath, [outfile, ...process.argv.slice(2)], {
      stdio: 'inherit',
      cwd: ROOT,
      env,
    });
}
