/**
 * Even at ECR_TS_LOG_LEVEL=debug (where the SDK's own lines are shown), no secret appears: not the
 * issued keys, session tokens, web identity or pod identity tokens, nor the registry password.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeCredentialEndpoint, startFakeEcr } from '../support/fake-aws';
import { startFakeSts } from '../support/fake-sts';
import { runHelper } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';
import { ECR_HOST as HOST } from '../support/registry-host';

scrubProcessEnv();
const tempDir = useTempDirs();

describe('the debug log carries no secret', () => {
  it('through web identity, assume-role and EKS Pod Identity', async () => {
    const keys = new KeyStore();
    const source = keys.issue();
    const ecr = await startFakeEcr({ keys });
    const sts = await startFakeSts({ keys });
    const podToken = `pod-identity-${Date.now()}-token`;
    const agent = await startFakeCredentialEndpoint({ keys, authorization: podToken });
    try {
      const home = tempDir();
      const webToken = `web-identity-${Date.now()}-token`;
      writeFileSync(join(home, 'web-token'), webToken);
      writeFileSync(join(home, 'pod-token'), podToken);
      mkdirSync(join(home, '.aws'));
      writeFileSync(
        join(home, '.aws', 'credentials'),
        `[base]\naws_access_key_id = ${source.accessKeyId}\naws_secret_access_key = ${source.secretAccessKey}\naws_session_token = ${source.sessionToken ?? ''}\n`,
      );
      writeFileSync(
        join(home, '.aws', 'config'),
        '[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\nsource_profile = base\n',
      );
      const base = {
        AWS_ENDPOINT_URL_ECR: ecr.url,
        AWS_ENDPOINT_URL_STS: sts.url,
        ECR_TS_LOG_LEVEL: 'debug',
        AWS_ECR_DISABLE_CACHE: '1',
      };
      const runs = [
        {
          ...base,
          AWS_WEB_IDENTITY_TOKEN_FILE: join(home, 'web-token'),
          AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci',
        },
        { ...base, AWS_PROFILE: 'app' },
        {
          ...base,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/v1/credentials`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(home, 'pod-token'),
        },
      ];
      let stderr = '';
      for (const extra of runs) {
        const result = await runHelper({
          args: ['get'],
          input: HOST,
          env: cleanEnv(home, extra),
        });
        expect(result.code).toBe(0);
        stderr += result.stderr;
      }
      // Debug output really was produced (so the check below can fail).
      expect(stderr).toContain('debug: aws-sdk:');
      expect(ecr.passwords).toHaveLength(3);
      const secrets = [...secretsOf([...keys.keys.values()]), ...ecr.passwords, webToken, podToken];
      expectNoSecrets(stderr, secrets, 'the debug log');
    } finally {
      await ecr.close();
      await sts.close();
      await agent.close();
    }
  });
});
