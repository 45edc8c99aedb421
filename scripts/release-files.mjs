// What every file of the release folder (dist/release/) shares: SHA256SUMS over all of them, its
// optional gpg signature, and the CycloneDX SBOM of what the executable bundles.
//   - SHA256SUMS lists every regular file of the folder but itself and its signature.
//   - ECR_TS_GPG_KEY=<key id or fingerprint> (in the builder's keyring, GNUPGHOME as gpg reads
//     it): SHA256SUMS.asc, an armored detached signature, and release-key.asc, the public key,
//     which install.sh uses when no --key is given. The private key never enters this repository.
//     Without it, a signature or key left from an earlier build is removed (it would not match).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'docker-credential-ecr-ts';
/** The SBOM's file name in the release folder. */
export const SBOM = `${NAME}.cdx.json`;
const UNLISTED = new Set(['SHA256SUMS', 'SHA256SUMS.asc']);

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Writes SHA256SUMS over the folder's files, then signs it when ECR_TS_GPG_KEY is set. */
export function finishRelease(dir, { log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const key = process.env.ECR_TS_GPG_KEY;
  if (key) {
    const publicKey = execFileSync('gpg', ['--batch', '--armor', '--export', key]);
    if (publicKey.length === 0) throw new Error(`gpg has no public key for ECR_TS_GPG_KEY=${key}`);
    writeFileSync(join(dir, 'release-key.asc'), publicKey);
  } else {
    rmSync(join(dir, 'SHA256SUMS.asc'), { force: true });
    rmSync(join(dir, 'release-key.asc'), { force: true });
  }
  const files = readdirSync(dir)
    .filter((file) => !file.startsWith('.') && !UNLISTED.has(file))
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
  writeFileSync(
    join(dir, 'SHA256SUMS'),
    files.map((file) => `${sha256(join(dir, file))}  ${file}\n`).join(''),
  );
  if (key) {
    execFileSync('gpg', [
      '--batch',
      '--yes',
      '--local-user',
      key,
      '--armor',
      '--detach-sign',
      '--output',
      join(dir, 'SHA256SUMS.asc'),
      join(dir, 'SHA256SUMS'),
    ]);
    log(`SHA256SUMS signed by ${key} (SHA256SUMS.asc; public key in release-key.asc)`);
  } else {
    log('SHA256SUMS not signed (set ECR_TS_GPG_KEY to a gpg key to sign it)');
  }
}

/**
 * The CycloneDX SBOM (JSON, spec 1.6) of what the executable bundles, from the metafile of its
 * Bun build (every package that reached the bundle, after tree shaking), made by the CycloneDX
 * project's own generator (@cyclonedx/cyclonedx-esbuild), plus Bun itself, the runtime compiled
 * into the file. Every release executable bundles the same program, so one SBOM covers them all.
 */
export function writeSbom({ metafile, dir, bunVersion }) {
  const out = join(dir, SBOM);
  const cli = join(
    ROOT,
    'node_modules',
    '@cyclonedx',
    'cyclonedx-esbuild',
    'bin',
    'cyclonedx-esbuild-cli.js',
  );
  execFileSync(
    process.execPath,
    [
      cli,
      '--spec-version',
      '1.6',
      '--output-reproducible',
      '--validate',
      '--output-file',
      out,
      metafile,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, BOM_REPRODUCIBLE: '1' },
    },
  );
  const bom = JSON.parse(readFileSync(out, 'utf8'));
  const ref = `pkg:npm/bun@${bunVersion}`;
  bom.components.push({
    type: 'platform',
    name: 'bun',
    version: bunVersion,
    'bom-ref': ref,
    purl: ref,
    description: 'the JavaScript runtime compiled into the executable (bun build --compile)',
    licenses: [{ license: { id: 'MIT' } }],
  });
  const main = bom.metadata.component['bom-ref'];
  const root = bom.dependencies?.find((dependency) => dependency.ref === main);
  if (root) root.dependsOn = [...(root.dependsOn ?? []), ref];
  writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
  return out;
}
