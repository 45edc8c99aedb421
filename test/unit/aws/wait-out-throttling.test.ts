import { ThrottledUntilBound, waitOutThrottling } from '../../../src/aws/wait-out-throttling';

const throttled = (attempts?: number) =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400, ...(attempts ? { attempts } : {}) },
  });

/** A call that answers from a script: an Error is thrown, anything else returned. */
function scripted(answers: readonly unknown[]) {
  const calls = { count: 0 };
  const call = async (): Promise<unknown> => {
    const answer = answers[Math.min(calls.count, answers.length - 1)];
    calls.count += 1;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { call, calls };
}

/** A clock that moves 1 s per pause, and only then; the pauses take no real time. */
function pausedClock(start = 1_000_000) {
  const clock = { now: start, pauses: [] as number[] };
  return {
    clock,
    options: {
      now: () => clock.now,
      random: () => 0,
      onPause: (ms: number) => {
        clock.pauses.push(ms);
        clock.now += 1000;
      },
      // No real waiting: the fake clock is what moves.
      pause: async () => undefined,
    },
  };
}

describe('waitOutThrottling()', () => {
  it('asks again after throttled answers and returns the first real answer', async () => {
    const { call, calls } = scripted([throttled(), throttled(), 'token']);
    const { clock, options } = pausedClock();
    const answer = await waitOutThrottling({
      call,
      deadline: clock.now + 30_000,
      signal: new AbortController().signal,
      ...options,
    });
    expect(answer).toBe('token');
    expect(calls.count).toBe(3);
    expect(clock.pauses).toHaveLength(2);
  });

  it('passes any other failure through at once', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const { call, calls } = scripted([throttled(), denied]);
    const { clock, options } = pausedClock();
    await expect(
      waitOutThrottling({
        call,
        deadline: clock.now + 30_000,
        signal: new AbortController().signal,
        ...options,
      }),
    ).rejects.toBe(denied);
    expect(calls.count).toBe(2);
  });

  it('keeps trying until too little of the budget is left, then says how it went', async () => {
    const { call, calls } = scripted([throttled(2), throttled()]);
    const { clock, options } = pausedClock();
    const started = clock.now;
    const failure = await waitOutThrottling({
      call,
      deadline: started + 8_000,
      signal: new AbortController().signal,
      ...options,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ThrottledUntilBound);
    const { tries, last } = failure as ThrottledUntilBound;
    // The clock moves 1 s per pause: tries go on until less than 5.4 s of the 8 s are left.
    expect(clock.now - started).toBeGreaterThanOrEqual(8_000 - 5400);
    expect(calls.count).toBe(clock.pauses.length + 1);
    // The SDK's own attempt count is used where it gives one (a 5xx, then the throttling).
    expect(tries.attempts).toBe(calls.count + 1);
    expect(tries.waitedMs).toBe(clock.now - started);
    expect((last as Error).name).toBe('ThrottlingException');
  });

  it('the budget is the parameter: a longer deadline means more of the wait', async () => {
    const count = async (budgetMs: number) => {
      const { call, calls } = scripted([throttled()]);
      const { clock, options } = pausedClock();
      await waitOutThrottling({
        call,
        deadline: clock.now + budgetMs,
        signal: new AbortController().signal,
        ...options,
      }).catch(() => undefined);
      return calls.count;
    };
    expect(await count(10_000)).toBeGreaterThan(await count(4_000));
  });

  it('a try that times out after throttled answers is reported as the throttling that used the bound up', async () => {
    // The last try comes late in the bound; under load its request may not finish in what is left.
    const timeout = Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });
    const { call, calls } = scripted([throttled(), throttled(), timeout]);
    const { clock, options } = pausedClock();
    const failure = await waitOutThrottling({
      call,
      deadline: clock.now + 30_000,
      signal: new AbortController().signal,
      ...options,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ThrottledUntilBound);
    const { tries, last } = failure as ThrottledUntilBound;
    expect((last as Error).name).toBe('ThrottlingException');
    expect(tries.attempts).toBe(3);
    expect(calls.count).toBe(3);
  });

  it('a timeout with no throttled answer before it stays a timeout', async () => {
    const timeout = Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });
    const { call } = scripted([timeout]);
    const { clock, options } = pausedClock();
    await expect(
      waitOutThrottling({
        call,
        deadline: clock.now + 30_000,
        signal: new AbortController().signal,
        ...options,
      }),
    ).rejects.toBe(timeout);
  });

  it('stops a pause when the call is aborted', async () => {
    const { call } = scripted([throttled(), 'token']);
    const controller = new AbortController();
    const pending = waitOutThrottling({
      call,
      deadline: Date.now() + 60_000,
      signal: controller.signal,
      random: () => 0.99,
      onPause: () => setImmediate(() => controller.abort()),
    });
    await expect(pending).rejects.toThrow('aborted');
  });
});
