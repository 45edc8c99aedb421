import { poll } from '../../../src/fs/poll';

/** A try that says "not yet" until its `n`-th call, then `value`; counts its calls. */
function readyOnTry<T>(n: number, value: T) {
  const calls = { tries: 0 };
  const attempt = async (): Promise<T | undefined> => (++calls.tries >= n ? value : undefined);
  return { calls, attempt };
}

describe('poll()', () => {
  it('returns the first value a try gives, pausing between tries as told', async () => {
    const { calls, attempt } = readyOnTry(3, 'held');
    const pauses: number[][] = [];
    const polled = await poll({
      attempt,
      attempts: 10,
      pause: (round, msLeft) => {
        pauses.push([round, msLeft]);
        return 1;
      },
    });
    expect(polled).toEqual({ value: 'held' });
    expect(calls.tries).toBe(3);
    expect(pauses).toEqual([
      [0, Infinity],
      [1, Infinity],
    ]);
  });

  it('stops after `attempts` tries, with no pause after the last', async () => {
    const { calls, attempt } = readyOnTry(Infinity, 'never');
    const waits: number[] = [];
    const polled = await poll({
      attempt,
      attempts: 4,
      pause: (round) => round,
      wait: async (ms) => {
        waits.push(ms);
        return undefined;
      },
    });
    expect(polled).toEqual({ stopped: 'out of tries' });
    expect(calls.tries).toBe(4);
    expect(waits).toEqual([0, 1, 2]);
  });

  it('stops once the deadline has passed, telling each pause the time left', async () => {
    const clock = { now: 1000 };
    const { calls, attempt } = readyOnTry(Infinity, 'never');
    const left: number[] = [];
    const polled = await poll({
      attempt,
      deadline: 1250,
      now: () => clock.now,
      pause: (_round, msLeft) => {
        left.push(msLeft);
        return Math.min(msLeft, 100);
      },
      wait: async (ms) => {
        clock.now += ms;
        return undefined;
      },
    });
    expect(polled).toEqual({ stopped: 'past the deadline' });
    expect(left).toEqual([250, 150, 50]);
    expect(calls.tries).toBe(4);
  });

  it('makes no try once the signal is aborted, before the first or after a wait', async () => {
    const before = new AbortController();
    before.abort();
    const first = readyOnTry(1, 'held');
    expect(await poll({ attempt: first.attempt, signal: before.signal, pause: () => 0 })).toEqual({
      stopped: 'aborted',
    });
    expect(first.calls.tries).toBe(0);

    const during = new AbortController();
    const second = readyOnTry(Infinity, 'never');
    const polled = await poll({
      attempt: second.attempt,
      signal: during.signal,
      pause: () => 0,
      wait: async () => {
        during.abort();
        return undefined;
      },
    });
    expect(polled).toEqual({ stopped: 'aborted' });
    expect(second.calls.tries).toBe(1);
  });

  it('ends with what a wait saw, without another try', async () => {
    const { calls, attempt } = readyOnTry(Infinity, 'never');
    const polled = await poll({ attempt, pause: () => 0, wait: async () => 'written meanwhile' });
    expect(polled).toEqual({ value: 'written meanwhile' });
    expect(calls.tries).toBe(1);
  });

  it('sleeps on a timer by default', async () => {
    const { calls, attempt } = readyOnTry(2, 'held');
    expect(await poll({ attempt, attempts: 2, pause: () => 5 })).toEqual({ value: 'held' });
    expect(calls.tries).toBe(2);
  });
});
