/**
 * A private-ECR failure is a failure: exit 1 and one line on stdout saying what failed (never the
 * not-found text, which would make docker pull anonymously and report `no basic auth credentials`),
 * no secret anywhere, and every hang or refusal ends with a reason within the bound.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore } from '../support/fake-aws';
import { startFakeSts, type FakeSts } from '../support/fake-sts';
import { runHelper, type RunResult } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';
import {
  BOUND_S,
  HOST,
  SAFETY_KILL_MS,
  closedPort,
  expectFailure,
  useFailureWorld,
} from './failure-world';

scrubProcessEnv();
const tempDir = useTempDirs();
const setup = useFailureWorld(tempDir);

describe('private ECR failures', () => {
  it('AccessDenied names the principal and the action IAM named', async () => {
    const w = setup();
    w.ecr.defaultFault = 'access-denied';
    const line = expectFailure(await w.run(), w);
    expect(line).toMatch(
      /^access denied calling ecr:GetAuthorizationToken at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(line).toContain('arn:aws:sts::123456789012:assumed-role/test-role/session');
    expect(line).toContain('is not authorized to perform: ecr:GetAuthorizationToken');
    // The request was properly signed: IAM said no, not the signature check.
    expect(w.ecr.requests[0]?.verification?.ok).toBe(true);
  });

  it('no credentials names every source tried and makes no API call', async () => {
    const w = setup();
    const result = await w.run({ AWS_CONTAINER_CREDENTIALS_FULL_URI: '' });
    const line = expectFailure(result, w);
    expect(line).toMatch(/^no AWS credentials found to call ecr:GetAuthorizationToken/);
    for (const source of [
      'AWS_ACCESS_KEY_ID',
      'profile "default"',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'container credentials endpoint',
      'EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)',
    ]) {
      expect(line).toContain(source);
    }
    expect(w.ecr.requests).toHaveLength(0);
  });

  it('throttling is waited out and then succeeds', async () => {
    const w = setup();
    w.ecr.faults.push('throttle');
    // A short bound keeps the random pause short (throttling.test.ts has more).
    const result = await w.run({ ECR_TS_TIMEOUT: String(BOUND_S) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Secret: w.ecr.passwords[0] });
    expect(w.ecr.requests).toHaveLength(2);
    expect(w.ecr.requests.every((request) => request.verification?.ok)).toBe(true);
  });

  it('throttling on every attempt fails saying so', async () => {
    const w = setup();
    w.ecr.defaultFault = 'throttle';
    const line = expectFailure(await w.run(), w);
    expect(line).toMatch(
      /^ecr:GetAuthorizationToken was throttled at http:\/\/127\.0\.0\.1:\d+ on \d+ attempts? over [\d.]+ s \(ThrottlingException: Rate exceeded\): the calling AWS account's GetAuthorizationToken bucket in eu-west-1/,
    );
    expect(w.ecr.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('HTTP 500 on every attempt fails with the status', async () => {
    const w = setup();
    w.ecr.defaultFault = 'server-error';
    const line = expectFailure(await w.run(), w);
    expect(line).toMatch(/failed at http:\/\/127\.0\.0\.1:\d+ with HTTP 500 after retries/);
    expect(w.ecr.requests).toHaveLength(3);
  });

  it('a connection reset on every attempt fails naming the endpoint', async () => {
    const w = setup();
    w.ecr.defaultFault = 'reset';
    const line = expectFailure(await w.run(), w);
    expect(line).toContain(`cannot reach the ECR API at ${w.ecr.url}`);
    expect(line).toContain('ECONNRESET');
  });

  it('a reset and then an answer succeeds (the SDK retries)', async () => {
    const w = setup();
    w.ecr.faults.push('reset');
    const result = await w.run();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Secret: w.ecr.passwords[0] });
  });

  it('a refused ECR API (nothing listening) fails naming that endpoint', async () => {
    const w = setup();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const line = expectFailure(await w.run({ AWS_ENDPOINT_URL_ECR: url }), w);
    expect(line).toContain(`cannot reach the ECR API at ${url}`);
    expect(line).toContain('ECONNREFUSED');
  });

  it('a refused credential endpoint fails naming that endpoint and why', async () => {
    const w = setup();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await w.run({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/creds` });
    const line = expectFailure(result, w);
    expect(line).toMatch(/^no AWS credentials found to call ecr:GetAuthorizationToken/);
    expect(line).toContain(
      `container credentials endpoint ${url} (AWS_CONTAINER_CREDENTIALS_FULL_URI) failed`,
    );
    expect(line).toContain('ECONNREFUSED');
    expect(w.ecr.requests).toHaveLength(0);
  });

  it('keys the API does not accept are reported as rejected credentials', async () => {
    const w = setup();
    const stranger = new KeyStore().issue(); // never registered with the fake ECR
    const result = await w.run({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
      AWS_ACCESS_KEY_ID: stranger.accessKeyId,
      AWS_SECRET_ACCESS_KEY: stranger.secretAccessKey,
      AWS_SESSION_TOKEN: stranger.sessionToken ?? '',
    });
    const line = expectFailure(result, w);
    expectNoSecrets(result.stdout + result.stderr, secretsOf([stranger]), 'the output');
    expect(line).toMatch(/^the AWS credentials were rejected calling ecr:GetAuthorizationToken/);
    expect(line).toContain('UnrecognizedClientException');
  });
});

describe('web identity failures', () => {
  async function webIdentity(
    fault: 'ok' | 'hang',
    expectedToken: string,
  ): Promise<{ result: RunResult; sts: FakeSts }> {
    const w = setup();
    const home = tempDir();
    const tokenFile = join(home, 'token');
    writeFileSync(tokenFile, 'header.payload.signature');
    const sts = await startFakeSts({ keys: w.keys, expectedToken });
    sts.defaultFault = fault;
    try {
      const result = await runHelper({
        args: ['get'],
        input: HOST,
        killAfterMs: SAFETY_KILL_MS,
        env: cleanEnv(home, {
          AWS_ENDPOINT_URL_ECR: w.ecr.url,
          AWS_ENDPOINT_URL_STS: sts.url,
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci',
          ...(fault === 'hang' ? { ECR_TS_TIMEOUT: String(BOUND_S) } : {}),
        }),
      });
      return { result, sts };
    } finally {
      await sts.close();
    }
  }

  it('a token STS rejects names web identity and what STS said', async () => {
    const { result } = await webIdentity('ok', 'some-other-token');
    const line = expectFailure(result, setup());
    expect(line).toMatch(
      /^getting AWS credentials from web identity \(AWS_WEB_IDENTITY_TOKEN_FILE \+ AWS_ROLE_ARN\) failed/,
    );
    expect(line).toContain('InvalidIdentityToken');
    expect(setup().ecr.requests).toHaveLength(0);
  });

  it('a hung STS ends within the bound, naming web identity', async () => {
    const { result } = await webIdentity('hang', 'header.payload.signature');
    const line = expectFailure(result, setup());
    expect(line).toMatch(
      /^timed out (after \d+ s while waiting for|getting) AWS credentials from web identity \(AWS_WEB_IDENTITY_TOKEN_FILE \+ AWS_ROLE_ARN\)/,
    );
  });
});
