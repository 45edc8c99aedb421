import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { runHelper } from '../support/run-helper';
import { HOST, secretOf, startCacheFixture } from './cache-fixture';

scrubProcessEnv();

// Loaded into the helper (Node: NODE_OPTIONS=--require; the Bun executable: BUN_OPTIONS=--preload):
// records every module file Node loaded and whether src/aws/sdk/index.ts ran (it sets a global
// symbol when evaluated; in Bun's single bundle, modules leave no other trace), at exit.
const PROBE = `
const Module = require('module');
const fs = require('fs');
const seen = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  seen.add(request);
  return load.apply(this, arguments);
};
process.on('exit', () => {
  for (const file of Object.keys(require.cache ?? {})) seen.add(file);
  if (globalThis[Symbol.for('docker-credential-ecr-ts.aws-sdk-loaded')]) seen.add('sdk-evaluated');
  fs.writeFileSync(process.env.PROBE_OUT, [...seen].join('\\n'));
});
`;

function loadsAws(modules: string): boolean {
  return modules
    .split('\n')
    .some((name) => /@aws-sdk|@smithy|aws-sdk\.cjs$|^sdk-evaluated$/.test(name));
}

/** The lock library, a chunk of its own in the JavaScript build (inline in the executable). */
function loadsLockLibrary(modules: string): boolean {
  return modules.split('\n').some((name) => /proper-lockfile/.test(name));
}

describe('a cache hit', () => {
  it('makes no credential or ECR request and answers the cached password', async () => {
    const fx = await startCacheFixture();
    const first = await fx.get();
    const password = secretOf(first);
    expect(fx.ecr.tokenCalls()).toBe(1);
    expect(fx.creds.requests).toHaveLength(1);

    const second = await fx.get();
    expect(second.stderr).toBe('');
    expect(JSON.parse(second.stdout)).toEqual({
      ServerURL: HOST,
      Username: 'AWS',
      Secret: password,
    });
    // Both fakes still count exactly the first call's requests.
    expect(fx.ecr.requests).toHaveLength(1);
    expect(fx.creds.requests).toHaveLength(1);
  });

  it('loads no AWS SDK module nor lock library (while a miss in the same set-up does)', async () => {
    const fx = await startCacheFixture();
    const probe = join(fx.home, 'probe.cjs');
    writeFileSync(probe, PROBE);
    const probed = (name: string) => ({
      out: join(fx.home, `${name}.txt`),
      env: fx.env({
        NODE_OPTIONS: `--require ${probe}`,
        BUN_OPTIONS: `--preload ${probe}`,
        PROBE_OUT: join(fx.home, `${name}.txt`),
      }),
    });

    const miss = probed('miss');
    secretOf(await fx.get({ env: miss.env }));
    // The control: the probe does see the SDK when the helper needs it.
    expect(loadsAws(readFileSync(miss.out, 'utf8'))).toBe(true);

    const hit = probed('hit');
    secretOf(await fx.get({ env: hit.env }));
    const modules = readFileSync(hit.out, 'utf8');
    expect(loadsAws(modules)).toBe(false);
    expect(fx.ecr.tokenCalls()).toBe(1);
    // Nor the lock library, where it is a file of its own (the control: the miss loaded it).
    if (loadsLockLibrary(readFileSync(miss.out, 'utf8'))) {
      expect(loadsLockLibrary(modules)).toBe(false);
    }
  });
});

describe('list', () => {
  it('answers live entries of the current identity from the cache, without stdin or network', async () => {
    const fx = await startCacheFixture();
    const other = '123456789012.dkr.ecr.us-west-2.amazonaws.com';
    secretOf(await fx.get());
    secretOf(await fx.get({ host: other }));
    // Another identity's entry must not show up.
    const otherIdentity = fx.env({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${fx.creds.url}/other` });
    secretOf(
      await fx.get({
        host: '210987654321.dkr.ecr.eu-central-1.amazonaws.com',
        env: otherIdentity,
      }),
    );
    const calls = fx.ecr.requests.length;
    const credentialCalls = fx.creds.requests.length;

    // No input: stdin stays open, as docker-py leaves it; a helper reading it would hang.
    const listed = await runHelper({ args: ['list'], env: fx.env(), killAfterMs: 20_000 });
    expect(listed.signal).toBeNull();
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)).toEqual({ [HOST]: 'AWS', [other]: 'AWS' });
    expect(fx.ecr.requests).toHaveLength(calls);
    expect(fx.creds.requests).toHaveLength(credentialCalls);
  });

  it('answers {} when the cache is empty or disabled', async () => {
    const fx = await startCacheFixture();
    const empty = await runHelper({ args: ['list'], env: fx.env(), killAfterMs: 20_000 });
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual({});
    secretOf(await fx.get());
    const disabled = await runHelper({
      args: ['list'],
      env: fx.env({ AWS_ECR_DISABLE_CACHE: '1' }),
      killAfterMs: 20_000,
    });
    expect(JSON.parse(disabled.stdout)).toEqual({});
  });
});

describe('AWS_ECR_DISABLE_CACHE and AWS_ECR_CACHE_DIR', () => {
  it('fetches on every call with the cache disabled, and writes nothing', async () => {
    const fx = await startCacheFixture();
    const env = fx.env({ AWS_ECR_DISABLE_CACHE: 'true' });
    secretOf(await fx.get({ env }));
    secretOf(await fx.get({ env }));
    expect(fx.ecr.tokenCalls()).toBe(2);
    expect(fx.entryFiles()).toEqual([]);
  });

  it('keeps the cache in AWS_ECR_CACHE_DIR when set', async () => {
    const fx = await startCacheFixture();
    const dir = join(fx.home, 'elsewhere');
    const env = fx.env({ AWS_ECR_CACHE_DIR: dir });
    const password = secretOf(await fx.get({ env }));
    expect(secretOf(await fx.get({ env }))).toBe(password);
    expect(fx.ecr.tokenCalls()).toBe(1);
    expect(fx.entryFiles()).toEqual([]);
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(dir, files[0] ?? ''), 'utf8')).toContain(password);
  });
});
