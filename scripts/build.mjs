// Bundles the helper with esbuild:
// - dist/main.cjs: the hot path only (a cache hit reads nothing else);
// - dist/aws-sdk.cjs: src/aws/sdk/ (the AWS SDK), loaded by src/aws/load-sdk.ts only when an AWS
//   call must be made;
// - dist/proxy-agent.cjs, dist/cli.cjs, dist/proper-lockfile.cjs: the proxy agent, the command
//   line and the cache-miss lock library, loaded on demand. Measured: they were three quarters of
//   main.cjs, and Node 20 has no compile cache, so parsing them cost every cache hit;
// - dist/index.cjs: the library API.
// These make the npm package (Node 20.19+), with the man page (scripts/build-man.mjs). Then the product's executable,
// dist/docker-credential-ecr-ts, compiled by Bun from the sources (scripts/build-executable.mjs).
// A chunk is split off by what an import resolves to, never by the importing file's name, and the
// build fails if the SDK still ends up in a hot-path bundle (checkNoSdk below).
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compile, EXECUTABLE } from './build-executable.mjs';
import { buildMan } from './build-man.mjs';

// No clean step: concurrent builds (several test runs at once) must never see dist/ vanish.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = (path) => join(ROOT, 'src', path);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // jsonc-parser's `main` is a UMD wrapper whose inner require() esbuild cannot follow. Its ESM
  // parser module, imported alone (src/config/docker-config.ts), is named whole so that the
  // package's alias does not prefix it.
  alias: {
    'jsonc-parser': 'jsonc-parser/lib/esm/main.js',
    'jsonc-parser/lib/esm/impl/parser.js': 'jsonc-parser/lib/esm/impl/parser.js',
  },
};

/** Source files and packages that become files of their own, required on demand. */
const SDK_CHUNK = { source: src('aws/sdk/index.ts'), file: './aws-sdk.cjs' };
const SOURCE_CHUNKS = [
  SDK_CHUNK,
  { source: src('aws/proxy-agent.ts'), file: './proxy-agent.cjs' },
  { source: src('cli.ts'), file: './cli.cjs' },
];
const PACKAGE_CHUNKS = ['proper-lockfile'];

/** The source file a relative import names, as TypeScript resolves it. */
function resolveSource(resolveDir, path) {
  const base = resolve(resolveDir, path);
  return [base, `${base}.ts`, join(base, 'index.ts')].find(
    (file) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
  );
}

/** Makes each import of a chunk (from anywhere in the bundle) a require of its file. */
const splitChunks = (chunks, packages) => ({
  name: 'split-chunks',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const file = resolveSource(args.resolveDir, args.path);
      const chunk = chunks.find((candidate) => candidate.source === file);
      return chunk ? { path: chunk.file, external: true } : undefined;
    });
    b.onResolve({ filter: /^[a-z@]/ }, (args) =>
      packages.includes(args.path) ? { path: `./${args.path}.cjs`, external: true } : undefined,
    );
  },
});

/** Fails the build when a bundle that a cache hit reads contains SDK code. */
function checkNoSdk(result, outfile) {
  const sdk = Object.keys(result.metafile.inputs).filter(
    (input) => /node_modules\/@(aws-sdk|smithy)\//.test(input) || input.startsWith('src/aws/sdk/'),
  );
  if (sdk.length > 0) {
    throw new Error(
      `${outfile} bundles the AWS SDK (${sdk.slice(0, 3).join(', ')}...): import src/aws/sdk/ only through src/aws/load-sdk.ts`,
    );
  }
  return result;
}

/** A CommonJS bundle of one npm package, for the on-demand chunks above. */
const packageChunk = (name) =>
  build({
    ...common,
    stdin: { contents: `module.exports = require('${name}');`, resolveDir: '.', loader: 'js' },
    outfile: `dist/${name}.cjs`,
  });

/** A hot-path bundle of `entry`, with `chunks` and `packages` left to be required on demand. */
const hotBundle = (entry, outfile, chunks, packages = []) =>
  build({
    ...common,
    entryPoints: [entry],
    outfile,
    plugins: [splitChunks(chunks, packages)],
    // import() of a split-off chunk becomes require(): the ESM loader would cost more than it loads.
    supported: { 'dynamic-import': false },
  }).then((result) => checkNoSdk(result, outfile));

await Promise.all([
  hotBundle('src/main.ts', 'dist/main.cjs', SOURCE_CHUNKS, PACKAGE_CHUNKS),
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.cjs' }),
  build({ ...common, entryPoints: ['src/aws/proxy-agent.ts'], outfile: 'dist/proxy-agent.cjs' }),
  ...PACKAGE_CHUNKS.map(packageChunk),
  build({ ...common, entryPoints: ['src/aws/sdk/index.ts'], outfile: 'dist/aws-sdk.cjs' }),
  // The library API (package main/exports); it shares dist/aws-sdk.cjs with the helper.
  hotBundle('src/index.ts', 'dist/index.cjs', SOURCE_CHUNKS.slice(0, 2)),
]);

// The man page the npm package links (package.json "man") and the .deb/.rpm install.
buildMan();

// ECR_TS_SKIP_EXECUTABLE: the npm package alone (e.g. on a platform Bun does not run on).
if (!process.env.ECR_TS_SKIP_EXECUTABLE) compile({ outfile: EXECUTABLE });
