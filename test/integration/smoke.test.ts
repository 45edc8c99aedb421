import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeCredentialEndpoint, startFakeEcr } from '../support/fake-aws';
import { runHelper } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();

describe('get with the container credential endpoint (full URI on loopback)', () => {
  it('answers the password the fake ECR issued, signed with the keys the endpoint handed out', async () => {
    const keys = new KeyStore();
    const ecr = await startFakeEcr({ keys });
    const creds = await startFakeCredentialEndpoint({ keys });
    try {
      const home = tempDir();
      const result = await runHelper({
        args: ['get'],
        input: '123456789012.dkr.ecr.eu-west-1.amazonaws.com\n',
        env: cleanEnv(home, {
          AWS_ENDPOINT_URL_ECR: ecr.url,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/creds`,
        }),
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        ServerURL: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        Username: 'AWS',
        Secret: ecr.passwords[0],
      });
      expect(ecr.requests).toHaveLength(1);
      expect(ecr.requests[0]?.verification).toMatchObject({
        ok: true,
        accessKeyId: creds.issued[0]?.accessKeyId,
        region: 'eu-west-1',
        service: 'ecr',
      });
    } finally {
      await ecr.close();
      await creds.close();
    }
  });
});
