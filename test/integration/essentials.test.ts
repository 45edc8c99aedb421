/**
 * What every build must do, in few helper starts: the protocol, a signed cold fetch through the
 * container credential endpoint, a cache hit, and a hang ended by the deadline. Runs against the
 * npm bin and the executable like every suite here, and is the subset that the linux-arm64 file
 * runs under qemu (jest.arm64.config.cjs sets ECR_TS_TEST_EMULATED: a start there takes seconds,
 * so the bound of the hang test is wider and the safety kill later).
 */
import { cleanEnv, scrubProcessEnv } from '../support/env';
import {
  KeyStore,
  startFakeCredentialEndpoint,
  startFakeEcr,
  type FakeCredentialEndpoint,
  type FakeEcr,
} from '../support/fake-aws';
import { runHelper } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();

const EMULATED = process.env['ECR_TS_TEST_EMULATED'] === '1';
/** The deadline of the hang test, in seconds: the start alone takes seconds under emulation. */
const BOUND_S = EMULATED ? 30 : 4;
/** A helper still running after this is killed and its test fails (a net, not an assertion). */
const KILL_AFTER_MS = EMULATED ? 150_000 : 30_000;
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const NOT_FOUND = 'credentials not found in native keychain';

let keys: KeyStore;
let ecr: FakeEcr;
let creds: FakeCredentialEndpoint;
beforeEach(async () => {
  keys = new KeyStore();
  ecr = await startFakeEcr({ keys });
  creds = await startFakeCredentialEndpoint({ keys });
});
afterEach(async () => {
  await ecr.close();
  await creds.close();
});

function run(home: string, args: string[], input?: string, extra: Record<string, string> = {}) {
  return runHelper({
    args,
    ...(input === undefined ? {} : { input }),
    killAfterMs: KILL_AFTER_MS,
    env: cleanEnv(home, {
      AWS_ENDPOINT_URL_ECR: ecr.url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/creds`,
      ...extra,
    }),
  });
}

describe('the protocol', () => {
  it('answers version, not-found, empty input, store, erase and an unknown action as callers expect', async () => {
    const home = tempDir();
    const version = await run(home, ['version']);
    expect([version.code, version.stderr]).toEqual([0, '']);
    expect(version.stdout).toMatch(/^docker-credential-ecr-ts \S+ \d+\.\d+\.\d+\S*\n$/);

    const other = await run(home, ['get'], 'registry-1.docker.io\n');
    expect([other.code, other.stdout]).toEqual([1, `${NOT_FOUND}\n`]);

    const empty = await run(home, ['get'], '');
    expect([empty.code, empty.stdout]).toEqual([1, 'no credentials server URL\n']);

    const stored = await run(
      home,
      ['store'],
      JSON.stringify({ ServerURL: HOST, Username: 'AWS', Secret: 'ignored' }),
    );
    expect([stored.code, stored.stdout, stored.stderr]).toEqual([0, '', '']);
    const erased = await run(home, ['erase'], `${HOST}\n`);
    expect([erased.code, erased.stdout, erased.stderr]).toEqual([0, '', '']);

    const unknown = await run(home, ['fetch'], '');
    expect(unknown.code).toBe(1);
    expect(`${unknown.stdout}${unknown.stderr}`).toMatch(/usage/i);
    // No AWS call for any of it.
    expect([ecr.requests.length, creds.requests.length]).toEqual([0, 0]);
  });
});

describe('get', () => {
  it('fetches a token signed with the container endpoint keys, then answers from the cache; list shows it without reading stdin', async () => {
    const home = tempDir();
    const cold = await run(home, ['get'], `${HOST}\n`);
    expect([cold.code, cold.stderr]).toEqual([0, '']);
    expect(JSON.parse(cold.stdout)).toEqual({
      ServerURL: HOST,
      Username: 'AWS',
      Secret: ecr.passwords[0],
    });
    expect(ecr.requests[0]?.verification).toMatchObject({
      ok: true,
      accessKeyId: creds.issued[0]?.accessKeyId,
      region: 'eu-west-1',
      service: 'ecr',
    });

    const hit = await run(home, ['get'], `https://${HOST}/v2/\n`);
    expect([hit.code, hit.stderr]).toEqual([0, '']);
    expect(JSON.parse(hit.stdout)).toEqual({
      ServerURL: `https://${HOST}/v2/`,
      Username: 'AWS',
      Secret: ecr.passwords[0],
    });
    expect([ecr.requests.length, creds.requests.length]).toEqual([1, 1]);

    // stdin left open, as docker-py leaves it: a helper that read it would hang.
    const listed = await run(home, ['list']);
    expect([listed.signal, listed.code]).toEqual([null, 0]);
    expect(JSON.parse(listed.stdout)).toMatchObject({ [HOST]: 'AWS' });
  });

  it(`ends a hung ECR API at the deadline (ECR_TS_TIMEOUT=${BOUND_S}), naming the endpoint`, async () => {
    ecr.defaultFault = 'hang';
    const result = await run(tempDir(), ['get'], `${HOST}\n`, {
      ECR_TS_TIMEOUT: String(BOUND_S),
    });
    expect([result.signal, result.code]).toEqual([null, 1]);
    expect(result.stdout).toMatch(/timed out/);
    expect(result.stdout).toContain(ecr.url);
    expect(result.stdout).toContain('ECR_TS_TIMEOUT');
    expect(result.stdout.split('\n')).toHaveLength(2);
  });
});
