/**
 * A fake AWS Secrets Manager (JSON 1.1 protocol) answering GetSecretValue. Every request's SigV4
 * signature is verified against the keys the fake credential sources issued; secrets it is told
 * to deny answer AccessDeniedException, unknown ones ResourceNotFoundException.
 */
import { randomUUID } from 'node:crypto';
import {
  closer,
  FaultScript,
  fakeServerHandle,
  listen,
  type FakeServer,
  type KeyStore,
  type SeenRequest,
} from './fake-aws';
import { verifySigV4 } from './sigv4';

/** Options of the fake Secrets Manager. */
export interface FakeSecretsManagerOptions {
  readonly keys: KeyStore;
  /** Secret ARN or name -> its SecretString. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Secrets whose reading is denied (as by a resource policy or a missing IAM permission). */
  readonly denied?: readonly string[];
  readonly host?: string;
  readonly port?: number;
}

/** The fake; `reads` counts GetSecretValue calls answered with a secret. */
export interface FakeSecretsManager extends FakeServer {
  reads(): number;
}

/** Starts the fake Secrets Manager on loopback (or the given host and port). */
export async function startFakeSecretsManager(
  options: FakeSecretsManagerOptions,
): Promise<FakeSecretsManager> {
  const requests: SeenRequest[] = [];
  const script = new FaultScript();
  let reads = 0;
  const { server, port } = await listen(
    (request, response, body) => {
      const verification = verifySigV4({
        method: request.method ?? 'POST',
        path: request.url ?? '/',
        headers: request.headers,
        body,
        keys: options.keys.keys,
      });
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        host: request.headers.host ?? '',
        headers: request.headers,
        body: body.toString(),
        verification,
      });
      const fault = script.next();
      if (fault === 'reset') return void response.socket?.destroy();
      if (fault === 'hang') return;
      const json = (status: number, value: unknown, type?: string): void => {
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(type ? { 'x-amzn-errortype': type } : {}),
        });
        response.end(JSON.stringify(value));
      };
      const error = (status: number, type: string, message: string): void =>
        json(status, { __type: type, message }, type);
      if (!verification.ok || verification.service !== 'secretsmanager') {
        return error(
          400,
          'UnrecognizedClientException',
          `The security token included in the request is invalid (${verification.reason}).`,
        );
      }
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target !== 'secretsmanager.GetSecretValue') {
        return error(400, 'UnknownOperationException', `unknown target ${target}`);
      }
      const secretId = String(
        (JSON.parse(body.toString() || '{}') as { SecretId?: string }).SecretId,
      );
      if (fault === 'access-denied' || options.denied?.includes(secretId)) {
        return error(
          400,
          'AccessDeniedException',
          `User: arn:aws:sts::123456789012:assumed-role/test-role/session is not authorized to perform: secretsmanager:GetSecretValue on resource: ${secretId} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
        );
      }
      if (fault === 'server-error') return error(500, 'InternalServiceError', 'internal failure');
      const value = options.secrets[secretId];
      if (value === undefined) {
        return error(
          400,
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      }
      reads += 1;
      const region = verification.region ?? 'us-east-1';
      json(200, {
        ARN: secretId.startsWith('arn:')
          ? secretId
          : `arn:aws:secretsmanager:${region}:123456789012:secret:${secretId}-AbCdEf`,
        Name: secretId,
        SecretString: value,
        VersionId: randomUUID(),
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Date.now() / 1000,
      });
    },
    options.host,
    options.port,
  );
  const host = options.host ?? '127.0.0.1';
  return Object.assign(
    fakeServerHandle({
      url: `http://${host}:${port}`,
      port,
      requests,
      script,
      close: closer(server),
    }),
    { reads: () => reads },
  );
}
