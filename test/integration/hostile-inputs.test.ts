/**
 * The built helper driven the way careless or hostile callers drive it: signals while it waits on
 * a hung endpoint, stdin never closed, stdout closed, oversized input, flags it does not know.
 * Each ends within the bound, without a stack trace, a secret, or a stale lock left behind.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { startEcrFixture } from '../support/ecr-fixture';
import type { FakeEcr } from '../support/fake-aws';
import { ECR_HOST as HOST } from '../support/registry-host';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();
const STACK = /\n\s+at |Error: |node:internal/;

async function withFakes(
  run: (env: Record<string, string>, ecr: FakeEcr, home: string) => Promise<void>,
) {
  const fx = await startEcrFixture();
  await run(fx.env(), fx.ecr, fx.home);
}

/** Resolves once `check` holds, looking every 20 ms (a wait for a state, not a timing claim). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('signals while waiting on a hung ECR API', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s ends the helper at once: no output, no stack, no lock or temp file left',
    async (signal) => {
      await withFakes(async (env, ecr, home) => {
        ecr.defaultFault = 'hang';
        // A long bound, so that only the signal can end the call.
        const child = spawn(HELPER_BIN, ['get'], {
          env: { ...env, ECR_TS_TIMEOUT: '60' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const safety = setTimeout(() => child.kill('SIGKILL'), 30_000);
        const closed = new Promise<NodeJS.Signals | null>((resolve) =>
          child.on('close', (_code, how) => resolve(how)),
        );
        child.stdin.end(`${HOST}\n`);
        // The helper holds the cache lock and waits for the API's answer.
        await until(() => ecr.requests.length > 0);
        child.kill(signal);
        const how = await closed;
        clearTimeout(safety);
        expect(how).toBe(signal);
        expect(output).toBe('');
        const dir = join(home, '.cache', 'docker-credential-ecr-ts');
        const left = existsSync(dir) ? readdirSync(dir) : [];
        expect(left).toEqual([]);
      });
    },
  );
});

describe('stdin and stdout abuse', () => {
  it('store with stdin never closed ends within the bound, saying the caller must close stdin', async () => {
    const home = tempDir();
    const result = await runHelper({
      args: ['store'],
      env: cleanEnv(home, { ECR_TS_TIMEOUT: '2' }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^timed out after 2 s while reading credentials from stdin\b.*\n$/,
    );
    expect(result.stderr).not.toMatch(STACK);
  });

  it('get with stdin a real pipe (as docker and docker-py pass it) never closed ends within the bound', async () => {
    const home = tempDir();
    const fifo = join(home, 'stdin.fifo');
    execFileSync('mkfifo', [fifo]);
    // Read-write: the test holds the writing end open for the whole call, as a careless caller would.
    const fd = openSync(fifo, 'r+');
    try {
      const child = spawn(HELPER_BIN, ['get'], {
        env: cleanEnv(home, { ECR_TS_TIMEOUT: '2' }),
        stdio: [fd, 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const safety = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(safety);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^timed out after 2 s while reading the server URL from stdin\b/);
    } finally {
      closeSync(fd);
    }
  });

  it('store with a secret over 64 KiB fails on one line without echoing it', async () => {
    const home = tempDir();
    const secret = `s3cr3t-${'x'.repeat(70_000)}`;
    const result = await runHelper({
      args: ['store'],
      env: cleanEnv(home),
      input: JSON.stringify({ ServerURL: HOST, Username: 'AWS', Secret: secret }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('input is larger than 65536 bytes\n');
    expect(result.stderr).not.toContain('s3cr3t');
  });

  it('with stdout sent to /dev/null, the error still reaches stderr', () => {
    // /dev/null is a character device like a terminal; only at a terminal is stderr left quiet.
    const devNull = openSync('/dev/null', 'w');
    try {
      const result = spawnSync(HELPER_BIN, ['get'], {
        env: cleanEnv(tempDir()),
        input: '',
        stdio: ['pipe', devNull, 'pipe'],
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe('docker-credential-ecr-ts: error: no credentials server URL\n');
    } finally {
      closeSync(devNull);
    }
  });

  it('a caller that closed stdout (EPIPE) gets no crash and no stack on stderr', async () => {
    await withFakes(async (env) => {
      const child = spawn(HELPER_BIN, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const safety = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await new Promise<number | null>((resolve) => {
        child.on('close', (exit) => resolve(exit));
        child.stdin.end(`${HOST}\n`);
      });
      clearTimeout(safety);
      expect(stderr).toBe('');
      expect(code).toBe(0);
    });
  });
});

describe('a password inside the server URL (https://user:password@host)', () => {
  it('is never echoed by store, nor by the debug log of get', async () => {
    const home = tempDir();
    const url = 'https://bob:url-pw-7731@registry.example.com/v2/';
    // fallback "none": store fails, and its message must mask the password.
    writeFileSync(join(home, 'none.json'), '{"fallback": "none"}');
    const env = cleanEnv(home, {
      ECR_TS_LOG_LEVEL: 'debug',
      ECR_TS_CONFIG: join(home, 'none.json'),
    });
    const store = await runHelper({
      args: ['store'],
      env,
      input: JSON.stringify({ ServerURL: url, Username: 'bob', Secret: 'other-secret-9' }),
    });
    expect(store.code).toBe(1);
    expect(store.stdout).toContain('https://***@registry.example.com/v2/');
    const get = await runHelper({ args: ['get'], env, input: url });
    expect(get.stdout).toBe('credentials not found in native keychain\n');
    expect(get.stderr).toContain('"https://***@registry.example.com/v2/"');
    for (const text of [store.stdout, store.stderr, get.stderr]) {
      expect(text).not.toContain('url-pw-7731');
      expect(text).not.toContain('other-secret-9');
    }
  });

  it('is not kept by the file store: stored and listed without the user info', async () => {
    const home = tempDir();
    const env = cleanEnv(home);
    const url = 'https://bob:url-pw-7731@registry.example.com/v2/';
    const store = await runHelper({
      args: ['store'],
      env,
      input: JSON.stringify({ ServerURL: url, Username: 'bob', Secret: 'other-secret-9' }),
    });
    expect([store.code, store.stdout, store.stderr]).toEqual([0, '', '']);
    const listed = await runHelper({ args: ['list'], env });
    expect(JSON.parse(listed.stdout)).toEqual({ 'https://registry.example.com/v2/': 'bob' });
    const file = join(home, '.local', 'share', 'docker-credential-ecr-ts', 'credentials.json');
    expect(readFileSync(file, 'utf8')).not.toContain('url-pw-7731');
  });
});

describe('arguments callers should not send', () => {
  it('an unknown flag before the action is reported once on stderr and on stdout', async () => {
    const home = tempDir();
    const result = await runHelper({ args: ['--debug', 'get'], env: cleanEnv(home), input: HOST });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("unknown option '--debug'\n");
    expect(result.stderr.match(/unknown option '--debug'/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK);
  });
});

describe('settings files that are not files (a FIFO, a device)', () => {
  // A FIFO nobody writes blocked the helper in open() forever: past ECR_TS_TIMEOUT and past
  // SIGTERM. Each must now be one line naming the file, at once.
  function fifo(): string {
    const path = join(tempDir(), 'fifo');
    execFileSync('mkfifo', [path]);
    return path;
  }

  it.each([
    ['ECR_TS_CONFIG', 'a FIFO', () => ({ ECR_TS_CONFIG: fifo() }), 'cannot read the config file'],
    [
      'ECR_TS_CONFIG',
      '/dev/zero',
      () => ({ ECR_TS_CONFIG: '/dev/zero' }),
      'cannot read the config file',
    ],
    ['AWS_CA_BUNDLE', 'a FIFO', () => ({ AWS_CA_BUNDLE: fifo() }), 'cannot read AWS_CA_BUNDLE'],
  ])('%s naming %s: get fails on one line, at once', async (_name, _what, extra, words) => {
    const fx = await startEcrFixture();
    const result = await runHelper({
      args: ['get'],
      input: `${HOST}\n`,
      env: { ...fx.env(), ECR_TS_TIMEOUT: '60', ...extra() },
      killAfterMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(words);
    expect(result.stdout).toContain('(not a regular file)');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK);
    expect(fx.ecr.requests).toHaveLength(0);
  });

  it("configure with docker's config.json a FIFO fails on one line, writing nothing", async () => {
    const home = tempDir();
    const dockerConfig = join(home, 'docker');
    execFileSync('mkdir', [dockerConfig]);
    execFileSync('mkfifo', [join(dockerConfig, 'config.json')]);
    const result = await runHelper({
      args: ['configure', HOST],
      env: cleanEnv(home, { DOCKER_CONFIG: dockerConfig }),
      killAfterMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `docker-credential-ecr-ts: error: cannot read ${join(dockerConfig, 'config.json')} (not a regular file)`,
    );
    expect(readdirSync(dockerConfig)).toEqual(['config.json']);
  });
});
