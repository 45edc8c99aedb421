import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubProcessEnv } from '../support/env';
import { HELPER_BIN } from '../support/run-helper';
import { HOST, secretOf, startCacheFixture } from './cache-fixture';

scrubProcessEnv();

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 20_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('concurrent cold requests', () => {
  it('50 helper processes for the same key make exactly one API call and all answer it', async () => {
    const fx = await startCacheFixture();
    // Single flight is under test here, not speed: 50 process starts on a busy 2-core CI
    // machine can take longer than the default 10 s bound, so each gets a generous one.
    const env = fx.env({ ECR_TS_TIMEOUT: '60' });
    const runs = await Promise.all(Array.from({ length: 50 }, () => fx.get({ env })));
    const secrets = runs.map(secretOf);
    expect(fx.ecr.tokenCalls()).toBe(1);
    expect(fx.creds.requests).toHaveLength(1);
    expect(new Set(secrets)).toEqual(new Set([fx.ecr.passwords[0]]));
    expect(runs.filter((run) => run.stderr !== '')).toEqual([]);
    // The file is whole: one entry, valid JSON, holding the one password.
    const files = fx.entryFiles();
    expect(files).toHaveLength(1);
    const entry = JSON.parse(readFileSync(join(fx.cacheDir, files[0] ?? ''), 'utf8')) as {
      password: string;
      hosts: string[];
    };
    expect(entry.password).toBe(fx.ecr.passwords[0]);
    expect(entry.hosts).toEqual([HOST]);
  });

  it('a lock holder killed with SIGKILL delays the others but does not fail them', async () => {
    const fx = await startCacheFixture();
    // The first GetAuthorizationToken never answers: its caller holds the lock, then dies.
    fx.ecr.faults.push('hang');
    const holder = spawn(HELPER_BIN, ['get'], {
      env: fx.env(),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const holderEnded = new Promise<NodeJS.Signals | null>((resolve) =>
      holder.on('close', (_code, signal) => resolve(signal)),
    );
    holder.stdin.end(`${HOST}\n`);
    await until(() => fx.ecr.requests.length === 1, 'the holder to call ECR');
    const waiters = Array.from({ length: 10 }, () => fx.get());
    // Let the waiters find the lock held before its holder dies.
    await new Promise((resolve) => setTimeout(resolve, 300));
    holder.kill('SIGKILL');
    expect(await holderEnded).toBe('SIGKILL');

    const results = await Promise.all(waiters);
    // Every waiter answered (a timeout would be exit 1 with a "timed out" text).
    const secrets = results.map(secretOf);
    expect(new Set(secrets).size).toBe(1);
    expect(fx.ecr.passwords).toContain(secrets[0]);
    // One call after the takeover: only one waiter may remove the dead holder's lock.
    expect(fx.ecr.tokenCalls()).toBe(1);
    expect(results.filter((run) => run.stderr !== '')).toEqual([]);
  });
});
