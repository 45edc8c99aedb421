import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { runHelper, type RunResult } from '../support/run-helper';
import { HOST, secretOf, startCacheFixture, type CacheFixture } from './cache-fixture';

scrubProcessEnv();

function warnings(result: RunResult): string[] {
  return result.stderr.split('\n').filter((line) => line.includes(': warn: '));
}

function onlyEntry(fx: CacheFixture): string {
  const files = fx.entryFiles();
  expect(files).toHaveLength(1);
  return join(fx.cacheDir, files[0] ?? '');
}

// As root, permission bits do not bind: the permission tests run the helper as `nobody` then.
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function runAsUser(env: Record<string, string>): Promise<RunResult> {
  return runHelper({
    args: ['get'],
    env,
    input: `${HOST}\n`,
    ...(asRoot ? { user: { uid: NOBODY, gid: NOBODY } } : {}),
  });
}

function giveToUser(path: string): void {
  if (asRoot) chownSync(path, NOBODY, NOBODY);
}

describe('cache files on disk', () => {
  it('are 0600 in a 0700 folder, leave no lock behind, and hold no AWS key', async () => {
    const fx = await startCacheFixture();
    const key = fx.keys.add({
      accessKeyId: 'AKIAEXAMPLESTATIC123',
      secretAccessKey: 'static-secret-key-material-0123456789abcd',
    });
    const env = fx.env({
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    });
    secretOf(await fx.get({ env }));
    secretOf(await fx.get()); // container credentials: a second identity, a second file
    expect(statSync(fx.cacheDir).mode & 0o777).toBe(0o700);
    const names = readdirSync(fx.cacheDir);
    expect(names).toHaveLength(2);
    const issued = [key, ...fx.creds.issued].flatMap((k) => [
      k.accessKeyId,
      k.secretAccessKey,
      k.sessionToken ?? k.accessKeyId,
    ]);
    for (const name of names) {
      const path = join(fx.cacheDir, name);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      for (const secret of issued) {
        expect(text).not.toContain(secret);
        expect(name).not.toContain(secret);
      }
    }
  });
});

describe('a broken cache file is ignored with one warning and rebuilt', () => {
  const variants: [string, (path: string, valid: string) => void][] = [
    ['not JSON', (path) => writeFileSync(path, 'garbage{')],
    ['truncated', (path, valid) => writeFileSync(path, valid.slice(0, valid.length / 2))],
    ['empty', (path) => writeFileSync(path, '')],
    [
      'of a foreign format version',
      (path, valid) => writeFileSync(path, JSON.stringify({ ...JSON.parse(valid), version: 99 })),
    ],
    ['a JSON array', (path) => writeFileSync(path, '[1,2,3]')],
    [
      'a FIFO (reading it must not hang)',
      (path) => {
        execFileSync('rm', ['-f', path]);
        execFileSync('mkfifo', ['-m', '600', path]);
      },
    ],
  ];

  it.each(variants)('%s', async (_name, breakFile) => {
    const fx = await startCacheFixture();
    secretOf(await fx.get());
    const path = onlyEntry(fx);
    breakFile(path, readFileSync(path, 'utf8'));

    const rebuilt = await fx.get();
    const password = secretOf(rebuilt);
    expect(warnings(rebuilt)).toHaveLength(1);
    expect(warnings(rebuilt)[0]).toContain(path);
    expect(rebuilt.stderr).not.toContain(password);
    expect(fx.ecr.tokenCalls()).toBe(2);
    expect(readFileSync(path, 'utf8')).toContain(password);

    const hit = await fx.get();
    expect(secretOf(hit)).toBe(password);
    expect(hit.stderr).toBe('');
    expect(fx.ecr.tokenCalls()).toBe(2);
  });

  it('unreadable (mode 000)', async () => {
    const fx = await startCacheFixture();
    mkdirSync(fx.cacheDir, { recursive: true, mode: 0o700 });
    for (const dir of [fx.home, join(fx.home, '.cache'), fx.cacheDir]) giveToUser(dir);
    secretOf(await runAsUser(fx.env()));
    const path = onlyEntry(fx);
    chmodSync(path, 0o000);

    const rebuilt = await runAsUser(fx.env());
    const password = secretOf(rebuilt);
    expect(warnings(rebuilt)).toHaveLength(1);
    expect(warnings(rebuilt)[0]).toContain('EACCES');
    expect(fx.ecr.tokenCalls()).toBe(2);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(secretOf(await runAsUser(fx.env()))).toBe(password);
    expect(fx.ecr.tokenCalls()).toBe(2);
  });
});

describe('a read-only cache folder', () => {
  it('still yields a token on every call, each saying so in exactly one warning', async () => {
    const fx = await startCacheFixture();
    mkdirSync(fx.cacheDir, { recursive: true, mode: 0o700 });
    for (const dir of [fx.home, join(fx.home, '.cache'), fx.cacheDir]) giveToUser(dir);
    chmodSync(fx.cacheDir, 0o500);
    for (let call = 1; call <= 2; call += 1) {
      const result = await runAsUser(fx.env());
      expect(secretOf(result)).toBe(fx.ecr.passwords[call - 1]);
      // Neither silent (the user must learn why every call fetches) nor a flood (the lock and the
      // write both fail: one line says it): the whole of stderr is one warning.
      const lines = result.stderr.split('\n').filter(Boolean);
      expect(lines).toEqual(warnings(result));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`the token cache in ${fx.cacheDir} (EACCES)`);
      expect(lines[0]).toContain('Tokens still work');
    }
    expect(fx.ecr.tokenCalls()).toBe(2);
    expect(readdirSync(fx.cacheDir)).toEqual([]);
  });
});

describe('identities', () => {
  it('two identities never share a token; two accounts of one region and identity do', async () => {
    const fx = await startCacheFixture();
    const a = fx.env({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fx.creds.url}/task-a` });
    const b = fx.env({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fx.creds.url}/task-b` });
    const passwordA = secretOf(await fx.get({ env: a }));
    const passwordB = secretOf(await fx.get({ env: b }));
    expect(passwordB).not.toBe(passwordA);
    expect(fx.ecr.tokenCalls()).toBe(2);
    expect(secretOf(await fx.get({ env: a }))).toBe(passwordA);
    expect(secretOf(await fx.get({ env: b }))).toBe(passwordB);
    // registryIds is deprecated: one token serves every registry of the region.
    const sameRegion = '210987654321.dkr.ecr.eu-west-1.amazonaws.com';
    expect(secretOf(await fx.get({ env: a, host: sameRegion }))).toBe(passwordA);
    expect(fx.ecr.tokenCalls()).toBe(2);
    // Another region, or ECR Public, is another token.
    secretOf(await fx.get({ env: a, host: '123456789012.dkr.ecr.eu-west-2.amazonaws.com' }));
    secretOf(await fx.get({ env: a, host: 'public.ecr.aws' }));
    expect(fx.ecr.tokenCalls()).toBe(4);
  });

  it('environment keys: another access key id is another identity', async () => {
    const fx = await startCacheFixture();
    const keyEnv = (id: string) => {
      const key = fx.keys.add({ accessKeyId: id, secretAccessKey: `secret-of-${id}-0123456789` });
      return fx.env({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
        AWS_ACCESS_KEY_ID: key.accessKeyId,
        AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
      });
    };
    const one = keyEnv('AKIAONEONEONEONE1111');
    const two = keyEnv('AKIATWOTWOTWOTWO2222');
    const first = secretOf(await fx.get({ env: one }));
    expect(secretOf(await fx.get({ env: two }))).not.toBe(first);
    expect(secretOf(await fx.get({ env: one }))).toBe(first);
    expect(fx.ecr.tokenCalls()).toBe(2);
    expect(fx.ecr.requests.map((r) => r.verification?.accessKeyId)).toEqual([
      'AKIAONEONEONEONE1111',
      'AKIATWOTWOTWOTWO2222',
    ]);
  });
});
