// Bundles the helper with esbuild: dist/main.cjs (the hot path, no AWS SDK) and dist/aws.cjs
// (the SDK and everything that imports it), loaded only when a token must be fetched.
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

await Promise.all([
  build({ ...common, entryPoints: ['src/main.ts'], outfile: 'dist/main.cjs', plugins: [splitAws] }),
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
