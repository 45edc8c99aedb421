import { chownSync, existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockState, removeIfStale, staleMsFor, tryLock } from '../../../src/fs/lock';
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
    expect(removeIfStale(lock, STALE, Date.now)).toBe('busy');
    expect(existsSync(lock)).toBe(true);
  });

  it('removes a lock whose holder stopped refreshing it, and its own guard', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, STALE + 1000);
    expect(removeIfStale(lock, STALE, Date.now)).toBe('removed');
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(`${lock}.takeover`)).toBe(false);
  });

  it('stays out while another waiter holds the takeover guard', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, STALE + 1000);
    ageDir(`${lock}.takeover`, 10);
    expect(removeIfStale(lock, STALE, Date.now)).toBe('busy');
    expect(existsSync(lock)).toBe(true);
  });

  it('clears a guard left by a waiter that died mid-takeover, for the next round', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, STALE + 1000);
    ageDir(`${lock}.takeover`, STALE + 1000);
    expect(removeIfStale(lock, STALE, Date.now)).toBe('busy');
    expect(existsSync(`${lock}.takeover`)).toBe(false);
    expect(removeIfStale(lock, STALE, Date.now)).toBe('removed');
  });
});

describe('lockState()', () => {
  const lock = () => join(dir, 'x.json.lock');

  it.each([
    ['nothing', 'gone', (): void => undefined],
    ['a fresh empty folder (a live holder)', 'live', () => ageDir(lock(), 1000)],
    ['a folder its holder stopped refreshing', 'stale', () => ageDir(lock(), STALE + 1000)],
    [
      'a folder dated in the future (the clock went back)',
      'stale',
      () => ageDir(lock(), -3600_000),
    ],
    // proper-lockfile dates a new lock up to a second ahead, to probe the mtime precision.
    ['a folder dated a second ahead', 'live', () => ageDir(lock(), -1000)],
  ] as const)('%s: %s', (_name, expected, make) => {
    make();
    expect(lockState(lock(), STALE, Date.now)).toBe(expected);
  });

  it.each([
    ['a regular file', 'not a folder', () => writeFileSync(lock(), '')],
    ['a dangling symlink', 'a symbolic link', () => symlinkSync(join(dir, 'nowhere'), lock())],
    [
      'a symlink to a folder',
      'a symbolic link',
      () => {
        ageDir(join(dir, 'elsewhere'), 0);
        symlinkSync(join(dir, 'elsewhere'), lock());
      },
    ],
    [
      'a fresh folder that is not empty',
      'a folder that is not empty',
      () => ageDir(join(lock(), 'leftover'), 0),
    ],
  ] as const)('%s is no lock: unusable, %s', (_name, why, make) => {
    make();
    expect(lockState(lock(), STALE, Date.now)).toEqual({ unusable: why });
  });

  it("another user's folder is unusable", () => {
    ageDir(lock(), 1000);
    // As another uid: the folder is ours (the test's), so it belongs to someone else for 4242.
    expect(lockState(lock(), STALE, Date.now, 4242)).toEqual({
      unusable: `a folder of uid ${process.getuid?.() ?? 0}, not of this user`,
    });
  });
});

describe('removeIfStale() on what cannot be removed', () => {
  it('a stale folder that is not empty is unavailable, and left as it is', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(join(lock, 'leftover'), 0);
    const old = new Date(Date.now() - STALE - 1000);
    utimesSync(lock, old, old);
    expect(removeIfStale(lock, STALE, Date.now)).toEqual({
      unavailable: `the lock ${lock} is not removable`,
    });
    expect(existsSync(join(lock, 'leftover'))).toBe(true);
    expect(existsSync(`${lock}.takeover`)).toBe(false);
  });

  it('a lock dated in the future is taken over', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, -3600_000);
    expect(removeIfStale(lock, STALE, Date.now)).toBe('removed');
  });

  it('a takeover guard that is a file makes locking unavailable, not a wait', () => {
    const lock = join(dir, 'x.json.lock');
    ageDir(lock, STALE + 1000);
    writeFileSync(`${lock}.takeover`, '');
    expect(removeIfStale(lock, STALE, Date.now)).toEqual({
      unavailable: `the lock ${lock}.takeover is not a folder`,
    });
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

  it.each([
    ['a regular file', (lock: string) => writeFileSync(lock, '')],
    ['a dangling symlink', (lock: string) => symlinkSync(join(dir, 'nowhere'), lock)],
    ['a non-empty folder', (lock: string) => ageDir(join(lock, 'leftover'), 0)],
  ])('reports %s at the lock path as unavailable at once', async (_name, plant) => {
    plant(join(dir, 'x.json.lock'));
    const result = await attempt();
    expect(result.state).toBe('unavailable');
  });

  (process.getuid?.() === 0 ? it : it.skip)(
    "reports another user's lock folder as unavailable at once",
    async () => {
      ageDir(join(dir, 'x.json.lock'), 1000);
      chownSync(join(dir, 'x.json.lock'), 64102, 64102);
      expect(await attempt()).toEqual({
        state: 'unavailable',
        reason: `the lock ${join(dir, 'x.json.lock')} is a folder of uid 64102, not of this user`,
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
