/**
 * ECR_TS_LOG_FILE is a path from the environment: it must never mix log lines into the protocol
 * answer on stdout, never be followed through a symbolic link, and never append to a file that
 * belongs to another user. Each refusal logs to stderr instead, with one warning.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, scrubProcessEnv } from '../support/env';
import { HELPER_BIN, runHelper } from '../support/run-helper';
import { useTempDirs } from '../support/temp-dirs';

scrubProcessEnv();
const tempDir = useTempDirs();

const NOT_FOUND = 'credentials not found in native keychain\n';
// The debug line every `get` writes (it names the route the host took).
const DEBUG_LINE = /docker-credential-ecr-ts: debug: get ".*": /;
// Permission tests need two users other than root, which ignores permission bits.
const asRoot = process.getuid?.() === 0;
const itAsRoot = asRoot ? it : it.skip;
const VICTIM = 12345;
const ATTACKER = 12346;

/** A folder anyone may write to (the kind of place a log file in /tmp lives in). */
function openDir(): string {
  const dir = tempDir();
  chmodSync(dir, 0o777);
  return dir;
}

function warningsIn(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.includes(': warn: '));
}

describe('ECR_TS_LOG_FILE that is stdout', () => {
  it('/dev/stdout: the answer stays alone on stdout, the log goes to stderr with one warning', async () => {
    const home = tempDir();
    const env = cleanEnv(home, { ECR_TS_LOG_FILE: '/dev/stdout', ECR_TS_LOG_LEVEL: 'debug' });
    const result = await runHelper({ args: ['get'], env, input: 'registry.example.com' });
    expect([result.code, result.stdout]).toEqual([1, NOT_FOUND]);
    expect(result.stderr).toMatch(DEBUG_LINE);
    expect(warningsIn(result.stderr)).toEqual([
      expect.stringContaining('not logging to ECR_TS_LOG_FILE "/dev/stdout"'),
    ]);
  });

  it('the same regular file as stdout (`> out.txt`): the file holds the answer only', async () => {
    const home = tempDir();
    const out = join(home, 'out.txt');
    const fd = openSync(out, 'w');
    const env = cleanEnv(home, { ECR_TS_LOG_FILE: out, ECR_TS_LOG_LEVEL: 'debug' });
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(HELPER_BIN, ['get'], { env, stdio: ['pipe', fd, 'pipe'] });
        let err = '';
        child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (exit) => resolve({ code: exit, stderr: err }));
        child.stdin?.end('registry.example.com');
      },
    );
    closeSync(fd);
    expect(code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(NOT_FOUND);
    expect(stderr).toMatch(DEBUG_LINE);
    expect(warningsIn(stderr)).toHaveLength(1);
  });
});

describe('ECR_TS_LOG_FILE planted by another user', () => {
  itAsRoot('is not followed through a symbolic link to a file of the caller', async () => {
    const dir = openDir();
    const victimHome = openDir();
    const profile = join(victimHome, '.profile');
    writeFileSync(profile, '# victim profile\n', { mode: 0o600 });
    chownSync(profile, VICTIM, VICTIM);
    const log = join(dir, 'ecr-helper.log');
    symlinkSync(profile, log);
    const env = cleanEnv(victimHome, { ECR_TS_LOG_FILE: log, ECR_TS_LOG_LEVEL: 'debug' });
    const result = await runHelper({
      args: ['get'],
      env,
      cwd: victimHome,
      input: 'x$(id>/tmp/pwned)',
      user: { uid: VICTIM, gid: VICTIM },
    });
    expect([result.code, result.stdout]).toEqual([1, NOT_FOUND]);
    expect(readFileSync(profile, 'utf8')).toBe('# victim profile\n');
    expect(result.stderr).toMatch(DEBUG_LINE);
    expect(warningsIn(result.stderr)).toEqual([
      expect.stringContaining(`not logging to ECR_TS_LOG_FILE "${log}"`),
    ]);
  });

  itAsRoot(
    'does not append to a file another user owns, even one the caller may write',
    async () => {
      const dir = openDir();
      const home = openDir();
      const log = join(dir, 'ecr-helper.log');
      writeFileSync(log, '');
      chmodSync(log, 0o666);
      chownSync(log, ATTACKER, ATTACKER);
      const env = cleanEnv(home, { ECR_TS_LOG_FILE: log, ECR_TS_LOG_LEVEL: 'debug' });
      const result = await runHelper({
        args: ['get'],
        env,
        cwd: home,
        input: 'registry.example.com',
        user: { uid: VICTIM, gid: VICTIM },
      });
      expect([result.code, result.stdout]).toEqual([1, NOT_FOUND]);
      expect(readFileSync(log, 'utf8')).toBe('');
      expect(result.stderr).toMatch(DEBUG_LINE);
      expect(warningsIn(result.stderr)).toHaveLength(1);
    },
  );
});

describe('ECR_TS_LOG_FILE of the caller', () => {
  itAsRoot('is created 0600 and appended to, with timestamps and nothing on stderr', async () => {
    const dir = openDir();
    const log = join(dir, 'helper.log');
    const env = cleanEnv(dir, { ECR_TS_LOG_FILE: log, ECR_TS_LOG_LEVEL: 'debug' });
    for (let i = 0; i < 2; i += 1) {
      const result = await runHelper({
        args: ['get'],
        env,
        cwd: dir,
        input: 'registry.example.com',
        user: { uid: VICTIM, gid: VICTIM },
      });
      expect([result.code, result.stdout, result.stderr]).toEqual([1, NOT_FOUND, '']);
    }
    expect(statSync(log).mode & 0o777).toBe(0o600);
    expect(statSync(log).uid).toBe(VICTIM);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.filter((line) => DEBUG_LINE.test(line))).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
