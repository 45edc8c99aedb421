// Builds dist/docker-credential-ecr-ts: one self-contained executable (a Node single-executable
// application) from dist/sea/main.cjs and dist/aws-sdk.cjs. Offline from the npm registry alone: the
// official Node 24 binary comes from the npm package node-linux-<arch> (through npm's own client
// and cache), the blob is injected with postject. The AWS chunk is an embedded asset with a V8
// code cache made by the same binary, compiled only on a cache miss (src/aws/load-sdk.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node 24 LTS release embedded in the executable. */
export const SEA_NODE_VERSION = '24.22.3';
// npm verifies tarballs against the registry's integrity; pinning it too means a re-published or
// swapped tarball fails the build instead of silently changing the runtime we ship.
const PINNED_INTEGRITY = {
  x64: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
};
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** The executable this script produces. */
export const SEA_OUTPUT = join(DIST, 'docker-credential-ecr-ts');

/** Builds the executable unless it is up to date with its inputs; returns its path or null. */
export async function buildSea({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (process.env.ECR_TS_SKIP_SEA) return null;
  if (process.platform !== 'linux' || !(process.arch in PINNED_INTEGRITY)) {
    log(`build-sea: skipped, no pinned Node binary for ${process.platform}-${process.arch}`);
    return null;
  }
  const node = ensureRuntime(log);
  const inputs = [
    readFileSync(join(DIST, 'sea', 'main.cjs')),
    readFileSync(join(DIST, 'aws-sdk.cjs')),
    readFileSync(fileURLToPath(import.meta.url)),
  ];
  const stamp = hash([SEA_NODE_VERSION, ...inputs]);
  const stampFile = `${SEA_OUTPUT}.stamp`;
  if (existsSync(SEA_OUTPUT) && readIfExists(stampFile) === stamp) return SEA_OUTPUT;

  // A private work folder: several builds may run at once (tests of other engineers, CI).
  const work = mkdtempSync(join(DIST, '.sea-'));
  try {
    const [main, aws] = inputs;
    const mainFile = join(work, 'sea-main.cjs');
    writeFileSync(mainFile, `${main}\nmodule.exports.main();\n`);
    const awsFile = join(work, 'aws-sdk.cjs');
    // Wrapped as a CommonJS function expression so load-sdk.ts can run it with vm.Script.
    writeFileSync(
      awsFile,
      `(function (exports, require, module, __filename, __dirname) {${aws}\n})`,
    );
    const cacheFile = join(work, 'aws-sdk.cache');
    makeCodeCache(node, awsFile, cacheFile);
    const blob = join(work, 'sea.blob');
    const config = {
      main: mainFile,
      output: blob,
      disableExperimentalSEAWarning: true,
      // Measured (README): the main script's code cache saves a few ms per call.
      useCodeCache: true,
      assets: { 'aws-sdk.cjs': awsFile, 'aws-sdk.cache': cacheFile },
    };
    const configFile = join(work, 'sea-config.json');
    writeFileSync(configFile, JSON.stringify(config));
    quietly(node, ['--experimental-sea-config', configFile]);
    const exe = join(work, 'exe');
    copyFileSync(node, exe);
    const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
    // postject (LIEF) prints harmless section-name warnings; show its output only on failure.
    quietly(process.execPath, [postject, exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE]);
    chmodSync(exe, 0o755);
    // Rename: a concurrent reader sees the old executable or the new one, never half of one.
    renameSync(exe, SEA_OUTPUT);
    writeFileSync(stampFile, stamp);
    return SEA_OUTPUT;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Returns a stripped copy of the official Node binary, fetched once through npm's cache. */
function ensureRuntime(log) {
  const folder = join(ROOT, 'node_modules', '.cache', 'docker-credential-ecr-ts');
  const node = join(folder, `node-v${SEA_NODE_VERSION}-${process.arch}`);
  if (existsSync(node)) return node;
  mkdirSync(folder, { recursive: true });
  const work = mkdtempSync(join(folder, 'fetch-'));
  try {
    const spec = `node-linux-${process.arch}@${SEA_NODE_VERSION}`;
    log(`build-sea: fetching ${spec} from the npm registry (once)`);
    const packed = JSON.parse(
      execFileSync(
        'npm',
        ['pack', spec, '--prefer-offline', '--json', '--pack-destination', work],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          maxBuffer: 64 * 1024 * 1024,
        },
      ),
    )[0];
    if (packed.integrity !== PINNED_INTEGRITY[process.arch]) {
      throw new Error(
        `build-sea: ${spec} has integrity ${packed.integrity}, expected the pinned one`,
      );
    }
    execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work, 'package/bin/node']);
    const binary = join(work, 'package', 'bin', 'node');
    // The npm binary ships debug info (about 127 MB); stripping it roughly halves the executable.
    try {
      execFileSync('strip', ['--strip-all', binary], { stdio: 'ignore' });
    } catch {
      log('build-sea: `strip` not found (binutils); the executable keeps its debug symbols');
    }
    renameSync(binary, node);
    return node;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Compiles and runs the wrapped AWS chunk in the target Node, then saves its V8 code cache. */
function makeCodeCache(node, awsFile, cacheFile) {
  // Running the factory compiles the functions the SDK runs at load time too, so the cache
  // covers them; cachedData is only accepted by the same V8 build, hence the target binary.
  const program = `
    const vm = require('node:vm'), fs = require('node:fs');
    const source = fs.readFileSync(process.argv[1], 'utf8');
    const script = new vm.Script(source, { filename: 'aws-sdk.cjs',
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    const module = { exports: {} };
    script.runInThisContext()(module.exports, require, module, 'aws-sdk.cjs', '.');
    if (!module.exports.sdk) throw new Error('aws-sdk.cjs has no sdk export');
    fs.writeFileSync(process.argv[2], script.createCachedData());`;
  execFileSync(node, ['-e', program, awsFile, cacheFile], { stdio: 'inherit' });
}

function quietly(command, args) {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
}

function hash(parts) {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  return digest.digest('hex');
}

function readIfExists(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const output = await buildSea();
  if (output) process.stderr.write(`build-sea: ${output}\n`);
}
