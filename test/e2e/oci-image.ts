/**
 * A tiny OCI image written by hand into an OCI layout folder (`oci:DIR:TAG` for skopeo): one
 * layer holding one file, its config and manifest, each addressed by its sha256 digest.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What was written: digests to compare with what the registry serves back. */
export interface OciImage {
  readonly manifestDigest: string;
  readonly layerDigest: string;
  readonly layer: Buffer;
}

function digest(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Writes an OCI layout at `dir` with one image tagged `tag` whose only file says `content`. */
export function writeOciImage(dir: string, tag: string, content: string): OciImage {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer): { digest: string; size: number } => {
    const address = digest(data);
    writeFileSync(join(blobs, address.slice('sha256:'.length)), data);
    return { digest: address, size: data.length };
  };
  // The layer is a real tar (made by tar(1)), so a client that unpacks it could.
  const root = mkdtempSync(join(dir, '..', 'layer-root-'));
  writeFileSync(join(root, 'hello.txt'), content);
  const tar = execFileSync('tar', [
    '--sort=name',
    '--mtime=@0',
    '--owner=0',
    '--group=0',
    '-cf',
    '-',
    '-C',
    root,
    'hello.txt',
  ]);
  rmSync(root, { recursive: true, force: true });
  const layer = gzipSync(tar);
  const layerBlob = put(layer);
  const config = put(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {},
        rootfs: { type: 'layers', diff_ids: [digest(tar)] },
      }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerBlob }],
    }),
  );
  const manifestBlob = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...manifestBlob,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { manifestDigest: manifestBlob.digest, layerDigest: layerBlob.digest, layer };
}
