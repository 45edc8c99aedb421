/**
 * A successful call writes nothing to stderr, even when the AWS SDK would warn on its own: its
 * warnings go to the debug log (shown with ECR_TS_LOG_LEVEL=debug, which proves they were routed
 * there rather than never raised).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { startFakesProcess } from '../support/fake-aws-process';
import { createNetns, itWithNetns } from '../support/netns';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';
import { ECR_HOST as HOST } from '../support/registry-host';

scrubProcessEnv();
const tempDir = useTempDirs();

describe('the SDK’s own warnings stay off stderr', () => {
  it('AWS_PROFILE together with environment keys: silent by default, in the debug log', async () => {
    const keys = new KeyStore();
    const profileKey = keys.issue();
    const envKey = keys.issue();
    const ecr = await startFakeEcr({ keys });
    try {
      const home = tempDir();
      const script = join(home, 'creds.sh');
      const output = JSON.stringify({
        Version: 1,
        AccessKeyId: profileKey.accessKeyId,
        SecretAccessKey: profileKey.secretAccessKey,
        SessionToken: profileKey.sessionToken,
      });
      writeFileSync(script, `#!/bin/sh\necho '${output}'\n`);
      chmodSync(script, 0o700);
      mkdirSync(join(home, '.aws'));
      writeFileSync(
        join(home, '.aws', 'config'),
        `[profile dev]\ncredential_process = ${script}\n`,
      );
      const env = cleanEnv(home, {
        AWS_ENDPOINT_URL_ECR: ecr.url,
        AWS_PROFILE: 'dev',
        AWS_ACCESS_KEY_ID: envKey.accessKeyId,
        AWS_SECRET_ACCESS_KEY: envKey.secretAccessKey,
      });
      const quiet = await runHelper({ args: ['get'], input: HOST, env });
      expect(quiet.stderr).toBe('');
      expect(quiet.code).toBe(0);
      // The SDK prefers the profile: the request is signed with the profile's key.
      expect(ecr.requests[0]?.verification).toMatchObject({
        ok: true,
        accessKeyId: profileKey.accessKeyId,
      });
      const debug = await runHelper({
        args: ['get'],
        input: HOST,
        env: { ...env, ECR_TS_LOG_LEVEL: 'debug', AWS_ECR_DISABLE_CACHE: '1' },
      });
      expect(debug.code).toBe(0);
      expect(debug.stderr).toContain('Multiple credential sources detected');
      const secrets = [...secretsOf([profileKey, envKey]), ...ecr.passwords];
      expectNoSecrets(quiet.stdout + quiet.stderr, secretsOf([profileKey, envKey]), 'the output');
      expectNoSecrets(debug.stderr, secrets, 'the debug log');
    } finally {
      await ecr.close();
    }
  });

  itWithNetns('relative and full container URI both set')(
    'both container URIs set: silent by default, in the debug log',
    async () => {
      const netns = await createNetns({ addresses: ['169.254.170.2/32'] });
      try {
        const fakes = await startFakesProcess(
          {
            servers: [
              { kind: 'credentials', name: 'ecs', host: '169.254.170.2', port: 80 },
              { kind: 'credentials', name: 'other' },
              { kind: 'ecr', name: 'ecr' },
            ],
          },
          { netns },
        );
        try {
          const env = cleanEnv(tempDir(), {
            AWS_ENDPOINT_URL_ECR: fakes.url('ecr'),
            AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/both-set',
            AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fakes.url('other')}/creds`,
            AWS_ECR_DISABLE_CACHE: '1',
          });
          const helper = netns.wrap(HELPER_BIN, ['get']);
          const quiet = await runHelper({ bin: helper.file, args: helper.args, env, input: HOST });
          expect(quiet.stderr).toBe('');
          expect(quiet.code).toBe(0);
          const debug = await runHelper({
            bin: helper.file,
            args: helper.args,
            env: { ...env, ECR_TS_LOG_LEVEL: 'debug' },
            input: HOST,
          });
          expect(debug.code).toBe(0);
          expect(debug.stderr).toContain('you have set both');
          const seen = await fakes.snapshot();
          // The relative URI wins, as the SDK documents.
          expect(seen.servers['ecs']?.requests).toHaveLength(2);
          expect(seen.servers['other']?.requests).toHaveLength(0);
          expect(seen.servers['ecr']?.requests.every((r) => r.verification?.ok)).toBe(true);
          const secrets = [...secretsOf(seen.keys), ...(seen.servers['ecr']?.passwords ?? [])];
          expectNoSecrets(quiet.stderr + debug.stderr, secrets, 'stderr');
        } finally {
          await fakes.close();
        }
      } finally {
        await netns.close();
      }
    },
  );
});
