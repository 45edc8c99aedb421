import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_WATCHERS, waitForChange } from '../../../src/cache/wait-for-change';
import { tempDir } from '../../support/env';

describe('waitForChange()', () => {
  it(`lets at most ${MAX_WATCHERS} waiters of a folder hold an inotify watch; the others poll`, async () => {
    const dir = tempDir('ecr-ts-wait-');
    const signal = new AbortController().signal;
    const waiters = Array.from({ length: MAX_WATCHERS + 3 }, () => waitForChange(dir, signal));
    expect(waiters.filter((waiter) => waiter.watching)).toHaveLength(MAX_WATCHERS);
    // Every waiter still wakes: the polling ones on their timer.
    await Promise.all(waiters.map((waiter) => waiter.next(20)));
    for (const waiter of waiters) waiter.close();
    expect(readdirSync(dir)).toEqual([]);
    // Closed waiters free their slots.
    const again = waitForChange(dir, signal);
    expect(again.watching).toBe(true);
    again.close();
  });

  it('wakes a watching waiter on a change, long before its timer', async () => {
    const dir = tempDir('ecr-ts-wait-');
    const waiter = waitForChange(dir, new AbortController().signal);
    let woke = false;
    const next = waiter.next(600_000).then(() => (woke = true));
    // The watch is in place once waitForChange returns: the change needs no head start.
    writeFileSync(join(dir, 'entry.json'), '{}');
    await next;
    expect(woke).toBe(true);
    waiter.close();
  });

  it('reuses a slot a killed waiter left behind once it is a minute old', () => {
    const dir = tempDir('ecr-ts-wait-');
    const signal = new AbortController().signal;
    const left = Array.from({ length: MAX_WATCHERS }, () => waitForChange(dir, signal));
    // Killed: slots stay, nothing closes them.
    expect(waitForChange(dir, signal).watching).toBe(false);
    const old = new Date(Date.now() - 61_000);
    for (const name of readdirSync(dir)) utimesSync(join(dir, name), old, old);
    const next = waitForChange(dir, signal);
    expect(next.watching).toBe(true);
    next.close();
    for (const waiter of left) waiter.close();
  });
});
