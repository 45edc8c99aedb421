/**
 * ECR Public: always us-east-1 and the ECR Public API (SpencerFrontendService), endpoint override
 * honoured, and with no AWS credentials at all the not-found answer (docker then pulls anonymously)
 * without any API request.
 */
import { startEcrFixture } from '../support/ecr-fixture';
import { keyEnv, scrubProcessEnv } from '../support/env';
import { expectNoSecrets, secretsOf } from '../support/secrets';

scrubProcessEnv();

describe('ECR Public', () => {
  it.each(['public.ecr.aws', 'https://public.ecr.aws/amazonlinux', 'ecr-public.aws.com'])(
    '%s gets a token from the ECR Public API in us-east-1, whatever AWS_REGION says',
    async (serverUrl) => {
      const fx = await startEcrFixture({ containerCredentials: false });
      const key = fx.keys.issue();
      const ecrPublic = fx.ecr;
      const result = await fx.get({
        host: serverUrl,
        env: fx.env({ ...keyEnv(key), AWS_REGION: 'eu-central-1' }),
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
    },
  );

  it('with no AWS credentials at all answers not-found and calls no API', async () => {
    const { ecr: ecrPublic, get } = await startEcrFixture({ containerCredentials: false });
    const result = await get({ host: 'public.ecr.aws' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('credentials not found in native keychain\n');
    expect(ecrPublic.requests).toHaveLength(0);
  });

  it('a denied ECR Public call is a failure naming ecr-public:GetAuthorizationToken', async () => {
    const fx = await startEcrFixture({ containerCredentials: false });
    const key = fx.keys.issue();
    fx.ecr.defaultFault = 'access-denied';
    const result = await fx.get({ host: 'public.ecr.aws', env: fx.env(keyEnv(key)) });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^access denied calling ecr-public:GetAuthorizationToken at http:\/\/127\.0\.0\.1:\d+ \(User: arn:aws:sts::123456789012:assumed-role\/test-role\/session is not authorized/,
    );
    expectNoSecrets(result.stdout + result.stderr, secretsOf([key]), 'the output');
  });
});
