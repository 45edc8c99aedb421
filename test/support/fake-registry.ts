/**
 * A fake container registry (the distribution API as ECR answers it) for doctor's checks: Basic
 * auth with one user name and password, `GET /v2/`, and manifests that exist, are denied (403
 * DENIED, the missing pull permission), or are missing as a repository (404 NAME_UNKNOWN) or as a
 * tag (404 MANIFEST_UNKNOWN), with ECR's own error texts.
 */
import { createHash } from 'node:crypto';
import { startFake, type FakeServer, type ServerTls } from './fake-aws';

/** Options of the fake registry. */
export interface FakeRegistryOptions {
  readonly username: string;
  readonly password: string;
  /** repository -> tags it has. */
  readonly images: Readonly<Record<string, readonly string[]>>;
  /** Repositories whose manifests the caller may not read. */
  readonly denied?: readonly string[];
  readonly host?: string;
  readonly port?: number;
  readonly tls?: ServerTls;
}

const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** Starts the fake registry. */
export async function startFakeRegistry(options: FakeRegistryOptions): Promise<FakeServer> {
  const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  // The password stays out of what tests snapshot.
  const fake = { ...options, unrecorded: ['authorization'] };
  return startFake(fake, ({ request, response, fault }) => {
    const errors = (status: number, code: string, message: string, extra = {}): void => {
      response.writeHead(status, { 'content-type': 'application/json', ...extra });
      response.end(JSON.stringify({ errors: [{ code, message, detail: null }] }));
    };
    if (fault === 'unauthorized' || request.headers.authorization !== expected) {
      return errors(401, 'UNAUTHORIZED', 'authentication required', {
        'www-authenticate': 'Basic realm="fake-registry"',
      });
    }
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (path === '/v2/' || path === '/v2') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return void response.end('{}');
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (!match) return errors(404, 'NOT_FOUND', 'not found');
    const [, repository = '', reference = ''] = match;
    if (options.denied?.includes(repository)) {
      return errors(
        403,
        'DENIED',
        `User: arn:aws:sts::123456789012:assumed-role/test-task-role/session is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:123456789012:repository/${repository} because no resource-based policy allows the ecr:BatchGetImage action`,
      );
    }
    const tags = options.images[repository];
    if (!tags) {
      return errors(
        404,
        'NAME_UNKNOWN',
        `The repository with name '${repository}' does not exist in the registry with id '123456789012'`,
      );
    }
    if (!tags.includes(reference))
      return errors(404, 'MANIFEST_UNKNOWN', 'Requested image not found');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPE, layers: [] });
    response.writeHead(200, {
      'content-type': MANIFEST_TYPE,
      'docker-content-digest': `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
    });
    response.end(manifest);
  });
}
