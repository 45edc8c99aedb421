/**
 * What reaches stdout, stderr and the log file from text the helper does not control: a server
 * URL from the caller (user info masked, inert in a shell), an API's error message (no terminal
 * control characters), an unsupported proxy setting (refused, naming the variable), and the
 * SDK's own debug lines (readable, no secret).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { KeyStore, startFakeEcr } from '../support/fake-aws';
import { runHelper } from '../support/run-helper';
import { expectNoSecrets, secretsOf } from '../support/secrets';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('a password in a server URL', () => {
  it.each([
    ['https://bob:pa/ss@example.com', 'pa/ss'],
    ['https://bob:pa ss@example.com', 'pa ss'],
    ['https://bob:pa"ss@example.com', 'pa"ss'],
    ['https://bob:pa#ss@example.com', 'pa#ss'],
    ['https://bob:pa?ss@example.com', 'pa?ss'],
    ['https://bob:p@ss@example.com', 'ss@example'],
    ['bob:hunter2@example.com', 'hunter2'],
  ])('%s: masked in store failure text and in the debug log', async (url, secretPart) => {
    const home = tempDir();
    // fallback "none": store has nowhere to keep the login and must say so, naming the URL.
    writeFileSync(join(home, 'helper.json'), '{"fallback": "none"}');
    const env = cleanEnv(home, {
      ECR_TS_LOG_LEVEL: 'debug',
      ECR_TS_CONFIG: join(home, 'helper.json'),
    });
    const store = await runHelper({
      args: ['store'],
      env,
      input: JSON.stringify({ ServerURL: url, Username: 'bob', Secret: 's3cret-value' }),
    });
    expect(store.code).toBe(1);
    expect(store.stdout).toContain('***@example.com');
    const get = await runHelper({ args: ['get'], env, input: url });
    expect(get.stdout).toBe('credentials not found in native keychain\n');
    expect(get.stderr).toContain('***@example.com');
    for (const text of [store.stdout, store.stderr, get.stderr]) {
      expect(text).not.toContain(secretPart);
      expect(text).not.toContain('bob:');
    }
  });

  it.each([
    ['https://bob:pa/ss@example.com', 'pa/ss'],
    ['https://bob:p@ss@example.com', 'p@ss'],
    ['bob:hunter2@example.com', 'hunter2'],
  ])('%s: kept and listed by the file store without it', async (url, password) => {
    const home = tempDir();
    const env = cleanEnv(home);
    const store = await runHelper({
      args: ['store'],
      env,
      input: JSON.stringify({ ServerURL: url, Username: 'bob', Secret: 's3cret-value' }),
    });
    expect([store.code, store.stdout, store.stderr]).toEqual([0, '', '']);
    const list = await runHelper({ args: ['list'], env, input: '' });
    expect(list.code).toBe(0);
    expect(Object.values(JSON.parse(list.stdout) as Record<string, string>)).toEqual(['bob']);
    expect(list.stdout).not.toContain(password);
    for (const file of filesUnder(home)) expect(readFileSync(file, 'utf8')).not.toContain(password);
  });

  it('is shown masked and inert when the log file is sourced by a shell', async () => {
    const home = tempDir();
    const marker = join(home, 'pwned');
    const log = join(home, 'helper.log');
    const env = cleanEnv(home, { ECR_TS_LOG_LEVEL: 'debug', ECR_TS_LOG_FILE: log });
    for (const url of [`x$(touch ${marker})`, `x\`touch ${marker}\``]) {
      const result = await runHelper({ args: ['get'], env, input: url });
      expect(result.stdout).toBe('credentials not found in native keychain\n');
    }
    expect(readFileSync(log, 'utf8')).toContain('get "x');
    spawnSync('bash', ['-c', `. ${log}`], { stdio: 'ignore', cwd: home });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('an error message from the API', () => {
  let server: Server | undefined;
  afterEach(() => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))));

  it('reaches stdout and stderr without terminal control characters', async () => {
    const hostile = 'denied \u001b[31mRED\u001b]0;TITLE\u0007 and NUL\u0000 CSI\u009b2J';
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(400, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': 'AccessDeniedException',
        });
        response.end(JSON.stringify({ __type: 'AccessDeniedException', message: hostile }));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const result = await runHelper({
      args: ['get'],
      env: cleanEnv(tempDir(), {
        AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE0000',
        AWS_SECRET_ACCESS_KEY: 'fake-secret-key',
        AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${port}`,
        AWS_ECR_DISABLE_CACHE: '1',
      }),
      input: HOST,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('denied');
    expect(result.stdout).toContain('TITLE');
    expect(result.stdout.trimEnd()).not.toMatch(CONTROL);
    expect(result.stderr).not.toMatch(CONTROL);
  });
});

describe('a proxy variable with a scheme the helper cannot speak', () => {
  it('is refused on one line naming the variable; nothing is sent to it', async () => {
    const keys = new KeyStore();
    const ecr = await startFakeEcr({ keys });
    let connections = 0;
    const socks = createTcpServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => socks.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = socks.address() as AddressInfo;
      const key = keys.issue();
      const result = await runHelper({
        args: ['get'],
        env: cleanEnv(tempDir(), {
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_ENDPOINT_URL_ECR: ecr.url,
          AWS_ECR_DISABLE_CACHE: '1',
          HTTP_PROXY: `socks5://user:proxy-pw-5521@127.0.0.1:${port}`,
        }),
        input: HOST,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/HTTP_PROXY/);
      expect(result.stdout).toMatch(/socks5/);
      expect(result.stdout).not.toContain('null');
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
      expect(`${result.stdout}${result.stderr}`).not.toContain('proxy-pw-5521');
      expect(connections).toBe(0);
      expect(ecr.requests).toHaveLength(0);
    } finally {
      await new Promise((resolve) => socks.close(resolve));
      await ecr.close();
    }
  });
});

describe("the SDK's per-command debug line", () => {
  it('names the client, command and HTTP status instead of [object Object], with no secret', async () => {
    const keys = new KeyStore();
    const ecr = await startFakeEcr({ keys });
    try {
      const key = keys.issue();
      const result = await runHelper({
        args: ['get'],
        env: cleanEnv(tempDir(), {
          AWS_ACCESS_KEY_ID: key.accessKeyId,
          AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
          AWS_SESSION_TOKEN: key.sessionToken ?? '',
          AWS_ENDPOINT_URL_ECR: ecr.url,
          AWS_ECR_DISABLE_CACHE: '1',
          ECR_TS_LOG_LEVEL: 'debug',
        }),
        input: HOST,
      });
      expect([result.code, result.stdout]).toEqual([0, expect.stringContaining('"Secret"')]);
      expect(result.stderr).not.toContain('[object Object]');
      expect(result.stderr).toMatch(/aws-sdk: ECRClient GetAuthorizationTokenCommand: .*HTTP 200/);
      expectNoSecrets(result.stderr, [...secretsOf([key]), ...ecr.passwords], 'the debug log');
    } finally {
      await ecr.close();
    }
  });
});

/** Every regular file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
