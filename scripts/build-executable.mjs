// Builds the product's executable with the pinned Bun (scripts/bun-path.mjs) from the TypeScript
// sources (scripts/bun-compile.mjs: `bun build --compile --bytecode --minify`, the SDK a module of
// its own inside), for this machine (dist/docker-credential-ecr-ts) or, with `--release`, for every
// platform in RELEASE_TARGETS (dist/release/, with install.sh, the SBOM and SHA256SUMS:
// scripts/release-files.mjs). Offline but for the npm registry: Bun fetches another target's
// runtime from it (@oven/bun-*), once, into its cache. `npm run build:packages` adds the packages.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bunPath, BUN_VERSION } from './bun-path.mjs';
import { finishRelease, writeSbom } from './release-files.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'docker-credential-ecr-ts';
/** The executable `npm run build` makes for this machine. */
export const EXECUTABLE = join(ROOT, 'dist', NAME);
/** Where `npm run build:release` puts one file per platform. */
export const RELEASE_DIR = join(ROOT, 'dist', 'release');

/** Every released platform: Bun's --target, and the file's suffix after the name. */
export const RELEASE_TARGETS = [
  { target: 'bun-linux-x64', suffix: 'linux-x64' },
  { target: 'bun-linux-arm64', suffix: 'linux-arm64' },
  { target: 'bun-linux-x64-musl', suffix: 'linux-x64-musl' },
  { target: 'bun-linux-arm64-musl', suffix: 'linux-arm64-musl' },
  { target: 'bun-darwin-x64', suffix: 'darwin-x64' },
  { target: 'bun-darwin-arm64', suffix: 'darwin-arm64' },
];

/**
 * Compiles one executable to `outfile` (atomically: concurrent test runs may be reading it); with
 * `metafile`, also writes there what the build bundled.
 */
export function compile({ outfile, target, metafile }) {
  const bun = bunPath();
  mkdirSync(dirname(outfile), { recursive: true });
  // A private folder, and the final file name: Bun names the embedded module after it (stack
  // traces show /$bunfs/root/<name>).
  const work = mkdtempSync(join(dirname(outfile), '.build-'));
  const temporary = join(work, basename(outfile));
  try {
    execFileSync(
      bun,
      [join(ROOT, 'scripts', 'bun-compile.mjs'), temporary, ...(target ? [target] : [])],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, ECR_TS_METAFILE: metafile ?? '' },
      },
    );
    renameSync(temporary, outfile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return outfile;
}

/**
 * Cross-compiles every release target into dist/release/, with install.sh, the SBOM and
 * SHA256SUMS beside them (files of an earlier build:packages stay, and are listed again).
 */
export function buildRelease({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  mkdirSync(RELEASE_DIR, { recursive: true });
  const work = mkdtempSync(join(RELEASE_DIR, '.sbom-'));
  try {
    const metafile = join(work, 'metafile.json');
    for (const [index, { target, suffix }] of RELEASE_TARGETS.entries()) {
      const file = `${NAME}-${suffix}`;
      const outfile = compile({
        outfile: join(RELEASE_DIR, file),
        target,
        // One program in every file: the first build's inputs make the SBOM.
        ...(index === 0 ? { metafile } : {}),
      });
      log(
        `${file}  ${(statSync(outfile).size / 1e6).toFixed(1)} MB  (${target}, Bun ${BUN_VERSION})`,
      );
    }
    log(`SBOM: ${writeSbom({ metafile, dir: RELEASE_DIR, bunVersion: BUN_VERSION })}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // Shipped with the files: run in this folder, it installs this machine's file after checking it.
  copyFileSync(join(ROOT, 'install.sh'), join(RELEASE_DIR, 'install.sh'));
  finishRelease(RELEASE_DIR, { log });
  return RELEASE_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--release')) buildRelease();
  else process.stderr.write(`build-executable: ${compile({ outfile: EXECUTABLE })}\n`);
}
