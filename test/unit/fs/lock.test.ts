import { chownSync, existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { staleMsFor, tryLock, type LockAttempt } from '../../../src/fs/lock';
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

/** One attempt at the lock beside `<dir>/x.json`; a lock it takes is released again. */
async function attempt(): Promise<LockAttempt> {
  const result = await tryLock({
    file: join(dir, 'x.json'),
    staleMs: STALE,
    onCompromised: () => undefined,
    ensureDir: () => mkdirSync(dir, { recursive: true }),
  });
  if (result.state === 'held') await result.release();
  return result;
}

const lockPath = (): string => join(dir, 'x.json.lock');

describe('tryLock() takes over only a stale lock', () => {
  it('leaves a lock its holder keeps fresh', async () => {
    ageDir(lockPath(), 1000);
    expect((await attempt()).state).toBe('busy');
    expect(existsSync(lockPath())).toBe(true);
  });

  it('takes over a lock whose holder stopped refreshing it, and removes its own guard', async () => {
    ageDir(lockPath(), STALE + 1000);
    expect((await attempt()).state).toBe('held');
    expect(existsSync(`${lockPath()}.takeover`)).toBe(false);
  });

  it('stays out while another waiter holds the takeover guard', async () => {
    ageDir(lockPath(), STALE + 1000);
    ageDir(`${lockPath()}.takeover`, 10);
    expect((await attempt()).state).toBe('busy');
    expect(existsSync(lockPath())).toBe(true);
  });

  it('clears a guard left by a waiter that died mid-takeover, for the next round', async () => {
    ageDir(lockPath(), STALE + 1000);
    ageDir(`${lockPath()}.takeover`, STALE + 1000);
    expect((await attempt()).state).toBe('busy');
    expect(existsSync(`${lockPath()}.takeover`)).toBe(false);
    expect((await attempt()).state).toBe('held');
  });

  it.each([
    ['nothing', 'held', (): void => undefined],
    ['a fresh empty folder (a live holder)', 'busy', () => ageDir(lockPath(), 1000)],
    ['a folder its holder stopped refreshing', 'held', () => ageDir(lockPath(), STALE + 1000)],
    [
      'a folder dated in the future (the clock went back)',
      'held',
      () => ageDir(lockPath(), -3600_000),
    ],
    // proper-lockfile dates a new lock up to a second ahead, to probe the mtime precision.
    ['a folder dated a second ahead', 'busy', () => ageDir(lockPath(), -1000)],
  ] as const)('%s at the lock path: %s', async (_name, expected, make) => {
    make();
    expect((await attempt()).state).toBe(expected);
  });
});

describe('tryLock() on what is no lock, or cannot be removed: unavailable at once', () => {
  it.each([
    ['a regular file', 'not a folder', () => writeFileSync(lockPath(), '')],
    ['a dangling symlink', 'a symbolic link', () => symlinkSync(join(dir, 'nowhere'), lockPath())],
    [
      'a symlink to a folder',
      'a symbolic link',
      () => {
        ageDir(join(dir, 'elsewhere'), 0);
        symlinkSync(join(dir, 'elsewhere'), lockPath());
      },
    ],
    [
      'a fresh folder that is not empty',
      'a folder that is not empty',
      () => ageDir(join(lockPath(), 'leftover'), 0),
    ],
  ] as const)('%s: the lock is %s', async (_name, why, make) => {
    make();
    expect(await attempt()).toEqual({
      state: 'unavailable',
      reason: `the lock ${lockPath()} is ${why}`,
    });
  });

  it('a stale folder that is not empty is not removable, and left as it is', async () => {
    ageDir(join(lockPath(), 'leftover'), 0);
    const old = new Date(Date.now() - STALE - 1000);
    utimesSync(lockPath(), old, old);
    expect(await attempt()).toEqual({
      state: 'unavailable',
      reason: `the lock ${lockPath()} is not removable`,
    });
    expect(existsSync(join(lockPath(), 'leftover'))).toBe(true);
    expect(existsSync(`${lockPath()}.takeover`)).toBe(false);
  });

  it('a takeover guard that is a file makes locking unavailable, not a wait', async () => {
    ageDir(lockPath(), STALE + 1000);
    writeFileSync(`${lockPath()}.takeover`, '');
    expect(await attempt()).toEqual({
      state: 'unavailable',
      reason: `the lock ${lockPath()}.takeover is not a folder`,
    });
  });
});

describe('tryLock()', () => {
  it('is busy while held, free after release, and takes over a stale lock', async () => {
    const take = () =>
      tryLock({
        file: join(dir, 'x.json'),
        staleMs: STALE,
        onCompromised: () => undefined,
        ensureDir: () => mkdirSync(dir, { recursive: true }),
      });
    const first = await take();
    expect(first.state).toBe('held');
    expect((await take()).state).toBe('busy');
    if (first.state === 'held') await first.release();
    expect((await attempt()).state).toBe('held');

    ageDir(lockPath(), STALE + 1000); // a holder killed with SIGKILL
    expect((await attempt()).state).toBe('held');
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

  (process.getuid?.() === 0 ? it : it.skip)(
    "reports another user's lock folder as unavailable at once",
    async () => {
      ageDir(lockPath(), 1000);
      chownSync(lockPath(), 64102, 64102);
      expect(await attempt()).toEqual({
        state: 'unavailable',
        reason: `the lock ${lockPath()} is a folder of uid 64102, not of this user`,
      });
    },
  );
});

describe('staleMsFor()', () => {
  it.each([
    [10_000, 5000],
    [4000, 2000],
    [1000, 2000],
    [60_000, 5000],
  ])('a %d ms bound -> %d ms', (bound, stale) => expect(staleMsFor(bound)).toBe(stale));
});
