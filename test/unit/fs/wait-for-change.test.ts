import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForChange, type ChangeWaiter } from '../../../src/fs/wait-for-change';
import { tempDir } from '../../support/env';

/** At most this many waiters of one folder watch it (docs/token-cache.md). */
const MAX_WATCHERS = 4;

const slots = (dir: string): string[] => readdirSync(dir).filter((name) => name.endsWith('.slot'));

const turn = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * Resolves once `waiter` wakes after `change`, with a timer far longer than any test: only a
 * file event can wake it. Fails if it woke before the change.
 */
async function wakesOnChange(waiter: ChangeWaiter, change: () => void): Promise<void> {
  // Watchers of one folder in one process share one inotify watch, so a new one is also handed
  // the events of slots made before it (separate processes are not): let those pass first.
  await turn();
  let woke = false;
  const next = waiter.next(600_000).then(() => {
    woke = true;
  });
  // A waiter that wakes without a change (its timer ignored, say) has done so by now.
  await turn();
  expect(woke).toBe(false);
  change();
  await next;
}

describe('waitForChange()', () => {
  it(`lets at most ${MAX_WATCHERS} waiters of a folder hold an inotify watch; the others poll`, async () => {
    const dir = tempDir('ecr-ts-wait-');
    const signal = new AbortController().signal;
    const waiters = Array.from({ length: MAX_WATCHERS + 3 }, () => waitForChange(dir, signal));
    expect(slots(dir)).toHaveLength(MAX_WATCHERS);
    // Every waiter still wakes: the polling ones on their timer.
    await Promise.all(waiters.map((waiter) => waiter.next(20)));
    for (const waiter of waiters) waiter.close();
    expect(readdirSync(dir)).toEqual([]);
    // Closed waiters free their slots: the next one watches again.
    const again = waitForChange(dir, signal);
    expect(slots(dir)).toHaveLength(1);
    await wakesOnChange(again, () => writeFileSync(join(dir, 'entry.json'), '{}'));
    again.close();
  });

  it('wakes a watching waiter on a change, and not before', async () => {
    const dir = tempDir('ecr-ts-wait-');
    const waiter = waitForChange(dir, new AbortController().signal);
    // The watch is in place once waitForChange returns: the change needs no head start.
    await wakesOnChange(waiter, () => writeFileSync(join(dir, 'entry.json'), '{}'));
    waiter.close();
  });

  it('wakes on abort, before its timer', async () => {
    const dir = tempDir('ecr-ts-wait-');
    const controller = new AbortController();
    const waiter = waitForChange(dir, controller.signal);
    await wakesOnChange(waiter, () => controller.abort());
    waiter.close();
  });

  it('reuses a slot a killed waiter left behind once it is a minute old', async () => {
    const dir = tempDir('ecr-ts-wait-');
    const signal = new AbortController().signal;
    const left = Array.from({ length: MAX_WATCHERS }, () => waitForChange(dir, signal));
    // Killed: slots stay, nothing closes them. A waiter now finds none free, and closing it
    // frees none of theirs.
    const taken = slots(dir);
    const slotless = waitForChange(dir, signal);
    slotless.close();
    expect(slots(dir)).toEqual(taken);
    const old = new Date(Date.now() - 61_000);
    for (const name of taken) utimesSync(join(dir, name), old, old);
    const next = waitForChange(dir, signal);
    const renewed = taken.filter((name) => statSync(join(dir, name)).mtimeMs > old.getTime());
    expect(renewed).toHaveLength(1);
    await wakesOnChange(next, () => writeFileSync(join(dir, 'entry.json'), '{}'));
    next.close();
    for (const waiter of left) waiter.close();
  });
});
