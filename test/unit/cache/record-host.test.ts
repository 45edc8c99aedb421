import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryFor } from '../../../src/cache/cache-entry';
import { entryFileName } from '../../../src/cache/cache-identity';
import { recordHost } from '../../../src/cache/record-host';
import { createTokenStore } from '../../../src/cache/token-store';
import { tempDir } from '../../support/env';
import { ECR_HOST as FIRST } from '../../support/registry-host';

const HOUR = 3600_000;
const scope = { partition: 'aws', region: 'eu-west-1', service: 'ecr', identity: 'me' } as const;

async function setUp() {
  const dir = join(tempDir('ecr-ts-record-'), 'cache');
  const warnings: string[] = [];
  const store = createTokenStore({ dir, warn: (line) => warnings.push(line) });
  const now = Date.now();
  await store.write(
    entryFor({
      scope,
      hosts: [FIRST],
      token: { username: 'AWS', password: 'pw', expiresAt: now + 12 * HOUR },
      fetchedAt: now,
      jitter: 0,
    }),
  );
  const debug: string[] = [];
  const record = (host: string, extra: Partial<Parameters<typeof recordHost>[0]> = {}) =>
    recordHost({
      store,
      scope,
      host,
      timeoutMs: 10_000,
      signal: new AbortController().signal,
      random: Math.random,
      debug: (line) => debug.push(line),
      ...extra,
    });
  return { dir, store, warnings, debug, record };
}

describe('recordHost()', () => {
  it('keeps every host when 20 hits for new hosts record at once', async () => {
    const { store, record, warnings } = await setUp();
    const hosts = Array.from(
      { length: 20 },
      (_, i) => `2109876543${10 + i}.dkr.ecr.eu-west-1.amazonaws.com`,
    );
    await Promise.all(hosts.map((host) => record(host)));
    expect([...(store.read(scope)?.hosts ?? [])].sort()).toEqual([FIRST, ...hosts].sort());
    expect(warnings).toEqual([]);
  });

  it('gives up quietly, without writing, while another process holds the lock', async () => {
    const { dir, record, debug } = await setUp();
    const path = join(dir, entryFileName(scope));
    mkdirSync(`${path}.lock`); // a live holder
    const before = readFileSync(path, 'utf8');
    await record('210987654321.dkr.ecr.eu-west-1.amazonaws.com', { timeoutMs: 400 });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(debug).toEqual([
      'not recording 210987654321.dkr.ecr.eu-west-1.amazonaws.com for list this time: the token cache lock stayed busy',
    ]);
  });

  it('skips quietly when locking is impossible (no lock at the lock name)', async () => {
    const { dir, record, debug, warnings } = await setUp();
    const path = join(dir, entryFileName(scope));
    writeFileSync(`${path}.lock`, '');
    const before = readFileSync(path, 'utf8');
    await record('210987654321.dkr.ecr.eu-west-1.amazonaws.com');
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(debug).toEqual([
      `not recording 210987654321.dkr.ecr.eu-west-1.amazonaws.com for list this time: cannot lock the token cache (the lock ${path}.lock is not a folder)`,
    ]);
    expect(warnings).toEqual([]);
  });

  it('stops when the call runs out of time, before it tries the lock', async () => {
    const { dir, record, debug } = await setUp();
    const path = join(dir, entryFileName(scope));
    const controller = new AbortController();
    controller.abort();
    const before = readFileSync(path, 'utf8');
    await record('210987654321.dkr.ecr.eu-west-1.amazonaws.com', { signal: controller.signal });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(debug[0]).toContain('out of time');
  });
});
