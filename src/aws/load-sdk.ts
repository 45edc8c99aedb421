/**
 * The one way to the AWS SDK: loads src/aws/sdk/ the first time an AWS call is needed, so a cache
 * hit never pays for parsing or running it. Installed from npm, the build keeps `./sdk` out of the
 * main bundle (scripts/build.mjs) and this is a separate file load. Inside the single executable
 * the chunk is an embedded asset, compiled here with the V8 code cache that
 * scripts/build-sea.mjs produced with the same Node binary.
 */
import type { AwsSdk } from './aws-sdk';

/** The SEA asset holding dist/aws-sdk.cjs wrapped as a CommonJS function (scripts/build-sea.mjs). */
export const SEA_SDK_ASSET = 'aws-sdk.cjs';
/** The SEA asset holding the V8 code cache of SEA_SDK_ASSET. */
export const SEA_SDK_CACHE_ASSET = 'aws-sdk.cache';

type CommonJsFactory = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/** Loads the SDK module (see aws-sdk.ts for what it offers). */
export async function loadSdk(): Promise<AwsSdk> {
  // getBuiltinModule, not `import('node:sea')`: jest's resolver does not know prefix-only
  // built-ins, and this keeps the probe off the hot path (it runs on a cache miss only).
  const sea = process.getBuiltinModule('node:sea');
  if (sea?.isSea()) return loadEmbedded(sea);
  // require, not import(): the bundles are CommonJS, and import() would start Node's ESM loader
  // for one CommonJS file (slower), and fails where a host (jest) hooks dynamic imports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('./sdk') as typeof import('./sdk');
  return module.sdk;
}

function loadEmbedded(sea: typeof import('node:sea')): AwsSdk {
  const vm = process.getBuiltinModule('node:vm');
  const source = sea.getAsset(SEA_SDK_ASSET, 'utf8');
  const script = new vm.Script(source, {
    filename: SEA_SDK_ASSET,
    cachedData: cachedCode(sea),
    // The SDK imports node:http and node:async_hooks with import(); a vm.Script needs a loader.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const factory = script.runInThisContext() as CommonJsFactory;
  const module = { exports: {} as { sdk?: AwsSdk } };
  // The chunk needs only built-ins, which the executable's own require provides.
  factory(module.exports, require, module, SEA_SDK_ASSET, '.');
  if (!module.exports.sdk) throw new Error('the embedded AWS SDK module has no sdk export');
  return module.exports.sdk;
}

function cachedCode(sea: typeof import('node:sea')): Buffer | undefined {
  try {
    return Buffer.from(sea.getAsset(SEA_SDK_CACHE_ASSET));
  } catch {
    // A build without a code cache still works, only slower to compile.
    return undefined;
  }
}
