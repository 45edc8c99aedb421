/**
 * A fake EC2 instance metadata service (IMDSv2 only: a session token from PUT /latest/api/token
 * is required on every GET) handing out an instance profile's keys. Serve it on 169.254.169.254:80
 * inside a network namespace only; the real address must never be reached.
 */
import { randomBytes } from 'node:crypto';
import { startFake, type FakeServer, type KeyStore } from './fake-aws';
import type { IssuedKey } from './sigv4';

/** Options of the fake IMDS. */
export interface FakeImdsOptions {
  readonly keys: KeyStore;
  readonly role?: string;
  readonly host?: string;
  readonly port?: number;
}

/** The fake IMDS; `issued` lists the keys it handed out. */
export interface FakeImds extends FakeServer {
  readonly issued: IssuedKey[];
}

const CREDENTIALS = '/latest/meta-data/iam/security-credentials/';

/** Starts the fake IMDS. */
export async function startFakeImds(options: FakeImdsOptions): Promise<FakeImds> {
  const issued: IssuedKey[] = [];
  const sessions = new Set<string>();
  const role = options.role ?? 'test-instance-role';
  const fake = await startFake(options, ({ request, response }) => {
    const reply = (status: number, body: string, type = 'text/plain'): void => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (request.method === 'PUT' && request.url === '/latest/api/token') {
      if (!request.headers['x-aws-ec2-metadata-token-ttl-seconds']) return reply(400, '');
      const session = randomBytes(24).toString('base64');
      sessions.add(session);
      return reply(200, session);
    }
    const session = request.headers['x-aws-ec2-metadata-token'];
    if (typeof session !== 'string' || !sessions.has(session)) return reply(401, '');
    if (request.method !== 'GET') return reply(405, '');
    if (request.url === CREDENTIALS) return reply(200, role);
    if (request.url === `${CREDENTIALS}${role}`) {
      const key = options.keys.issue();
      issued.push(key);
      return reply(
        200,
        JSON.stringify({
          Code: 'Success',
          LastUpdated: new Date().toISOString(),
          Type: 'AWS-HMAC',
          AccessKeyId: key.accessKeyId,
          SecretAccessKey: key.secretAccessKey,
          Token: key.sessionToken,
          Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
        }),
        'application/json',
      );
    }
    reply(404, '');
  });
  return Object.assign(fake, { issued });
}
