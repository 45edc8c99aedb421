import { existsSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { removeIfStale, staleMsFor, tryLock } from '../../../src/cache/key-lock';
import { tempDir } from '../../support/env';

const STALE = 5000;
let dir = '';
beforeEach(() => {
  dir = tempDir('ecr-ts-lock-');
});

function ageDir(path: string, ageMs: number): void {
  mkdirSync(path, { recursive: true });
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
}

describe('removeIfStale()', () => {
  it('leaves a lock its holder keeps fresh', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, 1000);
    expect(removeIfStale(lock, STALE, Date.now)).toBe(false);
    expect(existsSync(lock)).toBe(true);
  });

  it('removes a lock whose holder stopped refreshing it, and its own guard', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, STALE + 1000);
    expect(removeIfStale(lock, STALE, Date.now)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(`${lock}.takeover`)).toBe(false);
  });

  it('stays out while another waiter holds the takeover guard', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, STALE + 1000);
    ageDir(`${lock}.takeover`, 10);
    expect(removeIfStale(lock, STALE, Date.now)).toBe(false);
    expect(existsSync(lock)).toBe(true);
  });

  it('clears a guard left by a waiter that died mid-takeover, for the next round', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, STALE + 1000);
    ageDir(`${lock}.takeover`, STALE + 1000);
    expect(removeIfStale(lock, STALE, Date.now)).toBe(false);
    expect(existsSync(`${lock}.takeover`)).toBe(false);
    expect(removeIfStale(lock, STALE, Date.now)).toBe(true);
  });
});

describe('tryLock()', () => {
  const attempt = () =>
    tryLock({
      file: join(dir, 'x.json'),
      staleMs: STALE,
      onCompromised: () => undefined,
      ensureDir: () => mkdirSync(dir, { recursive: true }),
    });

  it('is busy while held, free after release, and takes over a stale lock', async () => {
    const first = await attempt();
    expect(first.state).toBe('held');
    expect((await attempt()).state).toBe('busy');
    if (first.state === 'held') await first.release();
    const second = await attempt();
    expect(second.state).toBe('held');
    if (second.state === 'held') await second.release();

    ageDir(join(dir, 'x.json.lock'), STALE + 1000); // a holder killed with SIGKILL
    const third = await attempt();
    expect(third.state).toBe('held');
    if (third.state === 'held') await third.release();
  });

  it('reports a folder it cannot create as unavailable, with the reason', async () => {
    const result = await tryLock({
      file: join(dir, 'x.json'),
      staleMs: STALE,
      onCompromised: () => undefined,
      ensureDir: () => {
        throw Object.assign(new Error('read-only'), { code: 'EROFS' });
      },
    });
    expect(result).toEqual({ state: 'unavailable', reason: 'EROFS' });
  });
});

describe('staleMsFor()', () => {
  it.each([
    [10_000, 5000],
    [4000, 2000],
    [1000, 2000],
    [60_000, 5000],
  ])('a %d ms bound -> %d ms', (bound, stale) => expect(staleMsFor(bound)).toBe(stale));
});
