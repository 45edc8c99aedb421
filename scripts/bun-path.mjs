// The pinned Bun that compiles the executable: the exact devDependency `bun` (package-lock.json
// holds it and its @oven/bun-* platform binaries). npm puts the binary in
// node_modules/@oven/bun-<os>-<arch>[-musl]/bin/bun; bun's own postinstall, where install scripts
// run, moves it to node_modules/bun/bin/bun.exe and leaves a placeholder behind. Either works.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODULES = join(ROOT, 'node_modules');

/** The version package.json pins (exact). */
export const BUN_VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  .devDependencies.bun;

/** Bun's name for this machine's platform package: linux-x64, linux-aarch64-musl, darwin-aarch64. */
function platformPackage() {
  const arch = process.arch === 'arm64' ? 'aarch64' : process.arch;
  const musl =
    process.platform === 'linux' && !process.report.getReport().header.glibcVersionRuntime;
  return `@oven/bun-${process.platform}-${arch}${musl ? '-musl' : ''}`;
}

/** The path of the pinned Bun binary; throws with what to do when it is missing or another one. */
export function bunPath() {
  const candidates = [
    join(MODULES, platformPackage(), 'bin', 'bun'),
    join(MODULES, `${platformPackage()}-baseline`, 'bin', 'bun'),
    join(MODULES, 'bun', 'bin', 'bun.exe'),
  ];
  // The placeholder bun.exe is a few bytes of text; the real binary is about 100 MB.
  const found = candidates.find(
    (file) => (statSync(file, { throwIfNoEntry: false })?.size ?? 0) > 1e6,
  );
  if (!found) {
    throw new Error(
      `no Bun binary for ${process.platform}-${process.arch} in node_modules (looked for ${candidates.join(', ')}): run \`npm ci\``,
    );
  }
  const version = execFileSync(found, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== BUN_VERSION) {
    throw new Error(`${found} is Bun ${version}, package.json pins ${BUN_VERSION}: run \`npm ci\``);
  }
  return found;
}
