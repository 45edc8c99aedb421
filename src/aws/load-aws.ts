/**
 * Loads the AWS side on demand, so a cache hit never pays for parsing the SDK. Installed from npm,
 * the build keeps `./index` out of the main bundle (scripts/build.mjs) and this is a separate file
 * load. Inside the single executable the chunk is an embedded asset, compiled here with the V8
 * code cache that scripts/build-sea.mjs produced with the same Node binary.
 */
import type { AwsModule } from './token';

/** The SEA asset holding dist/aws.cjs wrapped as a CommonJS function (see scripts/build-sea.mjs). */
export const SEA_AWS_ASSET = 'aws.cjs';
/** The SEA asset holding the V8 code cache of SEA_AWS_ASSET. */
export const SEA_AWS_CACHE_ASSET = 'aws.cache';

type CommonJsFactory = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void;

/** Imports the AWS module (and with it the SDK) the first time a token must be fetched. */
export async function loadAws(): Promise<AwsModule> {
  // getBuiltinModule, not `import('node:sea')`: jest's resolver does not know prefix-only
  // built-ins, and this keeps the probe off the hot path (it runs on a cache miss only).
  const sea = process.getBuiltinModule('node:sea');
  if (sea?.isSea()) return loadEmbedded(sea);
  // require, not import(): the bundles are CommonJS, and import() would start Node's ESM loader
  // for one CommonJS file (slower), and fails where a host (jest) hooks dynamic imports.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('./index') as typeof import('./index');
  return module.awsModule;
}

function loadEmbedded(sea: typeof import('node:sea')): AwsModule {
  const vm = process.getBuiltinModule('node:vm');
  const source = sea.getAsset(SEA_AWS_ASSET, 'utf8');
  const script = new vm.Script(source, {
    filename: SEA_AWS_ASSET,
    cachedData: cachedCode(sea),
    // The SDK imports node:http and node:async_hooks with import(); a vm.Script needs a loader.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const factory = script.runInThisContext() as CommonJsFactory;
  const module = { exports: {} as { awsModule?: AwsModule } };
  // The chunk needs only built-ins, which the executable's own require provides.
  factory(module.exports, require, module, SEA_AWS_ASSET, '.');
  if (!module.exports.awsModule) throw new Error('the embedded AWS module has no awsModule export');
  return module.exports.awsModule;
}

function cachedCode(sea: typeof import('node:sea')): Buffer | undefined {
  try {
    return Buffer.from(sea.getAsset(SEA_AWS_CACHE_ASSET));
  } catch {
    // A build without a code cache still works, only slower to compile.
    return undefined;
  }
}
