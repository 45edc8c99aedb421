/**
 * The same inputs through this helper and the Go reference helper (docker-credential-ecr-login),
 * and through docker-py's credential store API. Where callers match on text the answers must be
 * identical; where we differ on purpose (docs/protocol.md: store/erase succeed for ECR), the test pins the
 * difference so it stays deliberate. Only inputs that need no AWS call are sent to the reference
 * helper: it gets no fake endpoints and must not go looking for real ones.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { missingPeer } from '../e2e/find-tool';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeCredentialEndpoint, startFakeEcr } from '../support/fake-aws';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';
import { ECR_HOST as ECR } from '../support/registry-host';

scrubProcessEnv();
const tempDir = useTempDirs();
const REFERENCE = 'docker-credential-ecr-login';
const NOT_FOUND = 'credentials not found in native keychain';

// Its own temp HOME: the reference helper writes ~/.ecr/log/ecr-login.log wherever HOME points.
const haveReference =
  spawnSync(REFERENCE, ['version'], {
    stdio: 'ignore',
    timeout: 10_000,
    env: cleanEnv(tempDir()),
  }).status === 0 || missingPeer(`${REFERENCE} (the Go reference helper) is not installed`);
const haveDockerPy =
  spawnSync('/usr/bin/python3', ['-c', 'import docker.credentials'], { stdio: 'ignore' }).status ===
    0 || missingPeer('docker-py (python3 -c "import docker.credentials") is missing');

async function both(args: string[], input?: string) {
  const run = async (bin: string) => {
    const home = tempDir();
    const result = await runHelper({
      bin,
      args,
      env: cleanEnv(home),
      ...(input !== undefined ? { input } : {}),
    });
    return { code: result.code, stdout: result.stdout.trim() };
  };
  return { ours: await run(HELPER_BIN), reference: await run(REFERENCE) };
}

(haveReference ? describe : describe.skip)('parity with the reference helper', () => {
  it.each([
    ['get', '', 'no credentials server URL'],
    ['get', '\n', 'no credentials server URL'],
    ['get', 'registry-1.docker.io\n', NOT_FOUND],
    ['get', 'https://index.docker.io/v1/', NOT_FOUND],
    ['get', 'localhost:5000\r\n', NOT_FOUND],
    ['get', '[::1]:5000', NOT_FOUND],
    ['get', `${ECR}.fake.example.com`, NOT_FOUND],
    ['get', `evil.com/${ECR}`, NOT_FOUND],
    ['get', `${ECR}\u0000`, NOT_FOUND],
    ['get', `{"ServerURL":"${ECR}"}`, NOT_FOUND],
  ])('%s %j: both exit 1 with %j', async (action, input, text) => {
    const { ours, reference } = await both([action], input);
    expect(reference).toEqual({ code: 1, stdout: text });
    expect(ours).toEqual(reference);
  });

  it('list with nothing cached: both answer {} without reading stdin', async () => {
    const { ours, reference } = await both(['list']);
    expect(reference).toEqual({ code: 0, stdout: '{}' });
    expect(ours).toEqual(reference);
  });

  it('deliberate: store and erase for an ECR host succeed here, "not implemented" there', async () => {
    const store = await both(
      ['store'],
      JSON.stringify({ ServerURL: ECR, Username: 'AWS', Secret: 'x' }),
    );
    expect(store.reference).toEqual({ code: 1, stdout: 'not implemented' });
    expect(store.ours).toEqual({ code: 0, stdout: '' });
    const erase = await both(['erase'], ECR);
    expect(erase.reference).toEqual({ code: 1, stdout: 'not implemented' });
    expect(erase.ours).toEqual({ code: 0, stdout: '' });
  });

  it('deliberate: erase of a non-ECR host succeeds (the fallback store has nothing to forget)', async () => {
    const { ours, reference } = await both(['erase'], 'registry-1.docker.io');
    expect(reference).toEqual({ code: 1, stdout: 'not implemented' });
    expect(ours).toEqual({ code: 0, stdout: '' });
  });

  it('an unknown action or the action in upper case: both exit 1 naming it', async () => {
    for (const action of ['bogus', 'GET']) {
      const { ours, reference } = await both([action], ECR);
      expect(reference).toEqual({ code: 1, stdout: `Unknown credential action \`${action}\`` });
      expect(ours.code).toBe(1);
      expect(ours.stdout).toBe(
        `unknown action "${action}": expected one of get, store, erase, list, version, get-credentials, configure, doctor, help`,
      );
    }
  });
});

(haveDockerPy ? describe : describe.skip)(
  'docker-py credential store API (docker.credentials.Store)',
  () => {
    it('gets ECR tokens, falls back on not-found, and takes store/erase/list for ECR', async () => {
      const keys = new KeyStore();
      const ecr = await startFakeEcr({ keys });
      const creds = await startFakeCredentialEndpoint({ keys });
      try {
        const home = tempDir();
        const bin = join(home, 'bin');
        mkdirSync(bin);
        // docker-py runs `docker-credential-<program>` found on PATH.
        symlinkSync(HELPER_BIN, join(bin, 'docker-credential-ecr-ts'));
        const script = [
          'import json, sys',
          'from docker.credentials import Store, errors',
          's = Store("ecr-ts")',
          'E = sys.argv[1]',
          'def t(f):',
          '    try:',
          '        r = f()',
          '        return ["ok", r.decode() if isinstance(r, bytes) else r]',
          '    except Exception as e:',
          '        return [type(e).__name__, str(e)]',
          'print(json.dumps({',
          '  "get": t(lambda: s.get(E)), "getUrl": t(lambda: s.get("https://" + E + "/v2/")),',
          '  "hub": t(lambda: s.get("https://index.docker.io/v1/")),',
          '  "store": t(lambda: s.store(E, "AWS", "pw")), "storeToken": t(lambda: s.store(E, "<token>", "id")),',
          '  "erase": t(lambda: s.erase(E)), "list": t(lambda: s.list()),',
          '}))',
        ].join('\n');
        const env = cleanEnv(home, {
          PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
          AWS_ENDPOINT_URL_ECR: ecr.url,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/creds`,
        });
        // Async: the fakes answer from this process, which a spawnSync would block.
        const result = await runHelper({ bin: '/usr/bin/python3', args: ['-c', script, ECR], env });
        expect(result.stderr).toBe('');
        const seen = JSON.parse(result.stdout) as Record<string, [string, unknown]>;
        const password = ecr.passwords[0];
        expect(seen).toEqual({
          get: ['ok', { ServerURL: ECR, Username: 'AWS', Secret: password }],
          getUrl: ['ok', { ServerURL: `https://${ECR}/v2/`, Username: 'AWS', Secret: password }],
          hub: ['CredentialsNotFound', 'No matching credentials in docker-credential-ecr-ts'],
          store: ['ok', ''],
          storeToken: ['ok', ''],
          erase: ['ok', null],
          list: ['ok', { [ECR]: 'AWS' }],
        });
        expect(ecr.tokenCalls()).toBe(1);
      } finally {
        await ecr.close();
        await creds.close();
      }
    });
  },
);
