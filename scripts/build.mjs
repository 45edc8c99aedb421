// Bundles the helper with esbuild:
// - dist/main.cjs: the hot path only (a cache hit reads nothing else);
// - dist/aws.cjs: the SDK and everything that imports it, loaded only when a token must be fetched;
// - dist/cli.cjs, dist/proper-lockfile.cjs, dist/write-file-atomic.cjs: the command line and the
//   cache-miss libraries, loaded on demand. Measured: they were three quarters of main.cjs, and
//   Node 20 has no compile cache, so parsing them cost every cache hit;
// - dist/index.cjs: the library API;
// - dist/sea/main.cjs: main.cjs with everything but the SDK inline, for the single executable
//   (whose `require` knows only built-ins; its code cache makes the size cheap there).
import { build } from 'esbuild';
import { buildSea } from './build-sea.mjs';

// No clean step: concurrent builds (several test runs at once) must never see dist/ vanish.

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // jsonc-parser's `main` is a UMD wrapper whose inner require() esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

/** Keeps the lazily imported AWS module out of the main bundle. */
const splitAws = {
  name: 'split-aws',
  setup(b) {
    b.onResolve({ filter: /^\.\/index$/ }, (args) =>
      args.importer.endsWith('load-aws.ts') ? { path: './aws.cjs', external: true } : undefined,
    );
  },
};

/** Keeps what a cache hit never runs out of main.cjs: each becomes a file required on demand. */
const ON_DEMAND = new Map([
  ['./cli', { importer: 'main.ts', file: './cli.cjs' }],
  ['proper-lockfile', { importer: 'key-lock.ts', file: './proper-lockfile.cjs' }],
  ['write-file-atomic', { importer: 'token-store.ts', file: './write-file-atomic.cjs' }],
]);
const splitOnDemand = {
  name: 'split-on-demand',
  setup(b) {
    b.onResolve({ filter: /^(\.\/cli|proper-lockfile|write-file-atomic)$/ }, (args) => {
      const chunk = ON_DEMAND.get(args.path);
      return chunk && args.importer.endsWith(chunk.importer)
        ? { path: chunk.file, external: true }
        : undefined;
    });
  },
};
/** A CommonJS bundle of one npm package, for the on-demand chunks above. */
const packageChunk = (name) =>
  build({
    ...common,
    stdin: { contents: `module.exports = require('${name}');`, resolveDir: '.', loader: 'js' },
    outfile: `dist/${name}.cjs`,
  });

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.cjs',
    plugins: [splitAws, splitOnDemand],
    // import() of a split-off chunk becomes require(): the ESM loader would cost more than it loads.
    supported: { 'dynamic-import': false },
  }),
  build({ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.cjs' }),
  packageChunk('proper-lockfile'),
  packageChunk('write-file-atomic'),
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/sea/main.cjs',
    plugins: [splitAws],
  }),
  build({ ...common, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.cjs' }),
  // The library API (package main/exports); it shares dist/aws.cjs with the helper.
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.cjs',
    plugins: [splitAws],
  }),
]);

// The single executable (dist/docker-credential-ecr-ts) from the two bundles above.
await buildSea();
