/**
 * A fake EC2 instance metadata service (IMDSv2 only: a session token from PUT /latest/api/token
 * is required on every GET) handing out an instance profile's keys. Serve it on 169.254.169.254:80
 * inside a network namespace only; the real address must never be reached.
 */
import { randomBytes } from 'node:crypto';
import {
  closer,
  FaultScript,
  fakeServerHandle,
  listen,
  type FakeServer,
  type KeyStore,
  type SeenRequest,
} from './fake-aws';
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
  const requests: SeenRequest[] = [];
  const issued: IssuedKey[] = [];
  const sessions = new Set<string>();
  const role = options.role ?? 'test-instance-role';
  const script = new FaultScript();
  const { server, port } = await listen(
    (request, response) => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        host: request.headers.host ?? '',
        headers: request.headers,
        body: '',
      });
      const fault = script.next();
      if (fault === 'reset') return void response.socket?.destroy();
      if (fault === 'hang') return;
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
    },
    options.host,
    options.port,
  );
  return Object.assign(
    fakeServerHandle({
      url: `http://${options.host ?? '127.0.0.1'}:${port}`,
      port,
      requests,
      script,
      close: closer(server),
    }),
    {
      issued,
    },
  );
}
