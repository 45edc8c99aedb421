/**
 * ECR Public: always us-east-1 and the ECR Public API (SpencerFrontendService), endpoint override
 * honoured, and with no AWS credentials at all the not-found answer (docker then pulls anonymously)
 * without any API request.
 */
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { runHelper } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();

describe('ECR Public', () => {
  it.each(['public.ecr.aws', 'https://public.ecr.aws/amazonlinux', 'ecr-public.aws.com'])(
    '%s gets a token from the ECR Public API in us-east-1, whatever AWS_REGION says',
    async (serverUrl) => {
      const keys = new KeyStore();
      const key = keys.issue();
      const ecrPublic = await startFakeEcr({ keys });
      try {
        const result = await runHelper({
          args: ['get'],
          input: serverUrl,
          env: cleanEnv(tempDir(), {
            AWS_ENDPOINT_URL_ECR_PUBLIC: ecrPublic.url,
            AWS_ACCESS_KEY_ID: key.accessKeyId,
            AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
            AWS_SESSION_TOKEN: key.sessionToken ?? '',
            AWS_REGION: 'eu-central-1',
          }),
        });
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual({
          ServerURL: serverUrl,
          Username: 'AWS',
          Secret: ecrPublic.passwords[0],
        });
        expect(ecrPublic.requests).toHaveLength(1);
        expect(ecrPublic.requests[0]?.headers['x-amz-target']).toBe(
          'SpencerFrontendService.GetAuthorizationToken',
        );
        expect(ecrPublic.requests[0]?.verification).toMatchObject({
          ok: true,
          accessKeyId: key.accessKeyId,
          region: 'us-east-1',
          service: 'ecr-public',
        });
        expectNoSecrets(result.stdout + result.stderr, secretsOf([key]), 'the output');
      } finally {
        await ecrPublic.close();
      }
    },
  );

  it('with no AWS credentials at all answers not-found and calls no API', async () => {
    const ecrPublic = await startFakeEcr({ keys: new KeyStore() });
    try {
      const result = await runHelper({
        args: ['get'],
        input: 'public.ecr.aws',
        env: cleanEnv(tempDir(), { AWS_ENDPOINT_URL_ECR_PUBLIC: ecrPublic.url }),
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('credentials not found in native keychain\n');
      expect(ecrPublic.requests).toHaveLength(0);
    } finally {
      await ecrPublic.close();
    }
  });

  it('a denied ECR Public call is a failure naming ecr-public:GetAuthorizationToken', async () => {
    const keys = new KeyStore();
    const key = keys.issue();
    const ecrPublic = await startFakeEcr({ keys });
    ecrPublic.defaultFault = 'access-denied';
    try {
      const result = await runHelper({
        args: ['get'],
        input: 'public.ecr.aws',
        env: cleanEnv(tempDir(), {
          AWS_ENDPOINT_URL_ECR_PUBLIC: ecrPublic.url,
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_SESSION_TOKEN: key.sessionToken ?? '',
        }),
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^access denied calling ecr-public:GetAuthorizationToken at http:\/\/127\.0\.0\.1:\d+ \(User: arn:aws:sts::123456789012:assumed-role\/test-role\/session is not authorized/,
      );
      expectNoSecrets(result.stdout + result.stderr, secretsOf([key]), 'the output');
    } finally {
      await ecrPublic.close();
    }
  });
});
