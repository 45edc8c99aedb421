/**
 * A fake AWS Secrets Manager (JSON 1.1 protocol) answering GetSecretValue. Every request's SigV4
 * signature is verified against the keys the fake credential sources issued; secrets it is told
 * to deny answer AccessDeniedException, unknown ones ResourceNotFoundException.
 */
import { randomUUID } from 'node:crypto';
import { awsJson, startFake, type FakeServer, type KeyStore } from './fake-aws';

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
  let reads = 0;
  const fake = await startFake(options, ({ request, response, body, fault, verify }) => {
    const verification = verify();
    const error = (status: number, type: string, message: string): void =>
      awsJson(response, status, { __type: type, message }, type);
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
    awsJson(response, 200, {
      ARN: secretId.startsWith('arn:')
        ? secretId
        : `arn:aws:secretsmanager:${region}:123456789012:secret:${secretId}-AbCdEf`,
      Name: secretId,
      SecretString: value,
      VersionId: randomUUID(),
      VersionStages: ['AWSCURRENT'],
      CreatedDate: Date.now() / 1000,
    });
  });
  return Object.assign(fake, { reads: () => reads });
}
