// Run by the pinned Bun (scripts/build-executable.mjs spawns it): compiles the executable with
// Bun.build, the CLI's `bun build --compile --bytecode --minify --format=esm --splitting` plus one
// thing the CLI cannot do, a plugin that keeps src/aws/sdk/ a module of its own inside the
// executable. The hot path's bundle then holds no SDK code at all (measured: about 8% of a cache
// hit's CPU time), and src/aws/load-sdk.ts loads it, embedded, on a cache miss. Like
// scripts/build.mjs for the npm package, the split goes by what an import resolves to, never by
// the importing file's name.
// ESM with code splitting: every module reached only through an import() (the command line, the
// cache-miss path, the stores, the kubelet's action) becomes a chunk of its own inside the
// executable, read and evaluated only when that import() runs. In one CommonJS bundle a cache hit
// paid for creating every function of the whole program at start (docs/benchmarks.md).
//   bun scripts/bun-compile.mjs OUTFILE [TARGET] [ENTRY]
// (ENTRY: another entry point, for the benchmark's staged build; TARGET '' for this machine.)
// Profile-guided layout: the bytecode of the functions that recorded runs used (a cache hit's
// `get` first, then `get-credentials`, `list`, `version`; scripts/bytecode-order/, recorded by
// `npm run build:bytecode-order`) is placed together at the front, so a start reads fewer pages
// of the executable (measured in docs/benchmarks.md). A profile from an older build still applies:
// functions it does not name are laid out after it, as without one.
// With ECR_TS_METAFILE=FILE it also writes the build's metafile (every input it bundled) there:
// the release's SBOM is made from it (scripts/build-sbom.mjs).
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'scripts', 'executable-entry.ts');
const SDK = join(ROOT, 'src', 'aws', 'sdk', 'index.ts');
/** The name the SDK entry gets inside the executable (/$bunfs/root/index.js, beside the main one). */
const SDK_MODULE = './index.js';

const ORDER_DIR = join(ROOT, 'scripts', 'bytecode-order');
/** The recorded profiles, the most common start first (scripts/record-bytecode-order.mjs). */
const ORDER_FILES = ['get', 'get-credentials', 'list', 'version'].map((name) =>
  join(ORDER_DIR, `${name}.txt`),
);

const [outfile, target, entry = ENTRY] = process.argv.slice(2);
if (!outfile) throw new Error('usage: bun scripts/bun-compile.mjs OUTFILE [TARGET] [ENTRY]');

const isFile = (file) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
/** The source file a relative import names, as TypeScript resolves it. */
const resolveSource = (importer, path) => {
  const base = resolve(dirname(importer), path);
  return [base, `${base}.ts`, join(base, 'index.ts')].find(isFile);
};

const splitSdk = {
  name: 'split-sdk',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) =>
      args.importer && args.importer !== SDK && resolveSource(args.importer, args.path) === SDK
        ? { path: SDK_MODULE, external: true }
        : undefined,
    );
  },
};

// eslint-disable-next-line no-undef -- run by Bun, whose global this is
const result = await Bun.build({
  entrypoints: [resolve(entry), SDK],
  compile: {
    outfile,
    ...(target ? { target } : {}),
    // A compiled Bun program reads .env and bunfig.toml from the working folder by default;
    // docker runs the helper in the user's project, whose .env must not set AWS_* or ECR_TS_*.
    autoloadDotenv: false,
    autoloadBunfig: false,
    // JavaScriptCore's tier-up thresholds ×1000: every call of this program is short (a warm get
    // about 3 ms of JavaScript, a cold one about 30), and compiling hot code there costs more than
    // it saves. Measured, interleaved: a warm get 0.7 ms faster, a cold one 5 ms
    // (docs/benchmarks.md). Nothing resets it: no command runs long enough to gain from the JIT.
    jitPolicy: 1000,
    // Without profiles (a fresh checkout before its first recording), the default layout.
    ...(ORDER_FILES.every(isFile) && process.env.ECR_TS_BYTECODE_ORDER !== '0'
      ? { bytecodeOrder: ORDER_FILES }
      : {}),
  },
  // JavaScriptCore bytecode in the executable: no parsing at start (docs/executable.md).
  bytecode: true,
  minify: true,
  format: 'esm',
  splitting: true,
  target: 'bun',
  naming: { entry: '[name].[ext]', chunk: 'chunk-[hash].[ext]' },
  plugins: [splitSdk],
  metafile: Boolean(process.env.ECR_TS_METAFILE),
});
if (!result.success) {
  for (const log of result.logs) process.stderr.write(`${log}\n`);
  process.exit(1);
}
if (process.env.ECR_TS_METAFILE) {
  writeFileSync(process.env.ECR_TS_METAFILE, JSON.stringify(result.metafile));
}
