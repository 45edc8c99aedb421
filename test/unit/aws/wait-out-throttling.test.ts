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

/** waitOutThrottling() over scripted `answers`, with `budgetMs` left, on the paused clock. */
function waitFor(answers: readonly unknown[], budgetMs = 30_000) {
  const { call, calls } = scripted(answers);
  const { clock, options } = pausedClock();
  const started = clock.now;
  const outcome = waitOutThrottling({
    call,
    deadline: started + budgetMs,
    signal: new AbortController().signal,
    ...options,
  });
  return { outcome, calls, clock, started };
}

const timedOut = () => Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });

describe('waitOutThrottling()', () => {
  it('asks again after throttled answers and returns the first real answer', async () => {
    const { outcome, calls, clock } = waitFor([throttled(), throttled(), 'token']);
    expect(await outcome).toBe('token');
    expect(calls.count).toBe(3);
    expect(clock.pauses).toHaveLength(2);
  });

  it('passes any other failure through at once', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const { outcome, calls } = waitFor([throttled(), denied]);
    await expect(outcome).rejects.toBe(denied);
    expect(calls.count).toBe(2);
  });

  it('keeps trying until too little of the budget is left, then says how it went', async () => {
    const { outcome, calls, clock, started } = waitFor([throttled(2), throttled()], 8_000);
    const failure = await outcome.catch((error: unknown) => error);
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
      const { outcome, calls } = waitFor([throttled()], budgetMs);
      await outcome.catch(() => undefined);
      return calls.count;
    };
    expect(await count(10_000)).toBeGreaterThan(await count(4_000));
  });

  it('a try that times out after throttled answers is reported as the throttling that used the bound up', async () => {
    // The last try comes late in the bound; under load its request may not finish in what is left.
    const { outcome, calls } = waitFor([throttled(), throttled(), timedOut()]);
    const failure = await outcome.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ThrottledUntilBound);
    const { tries, last } = failure as ThrottledUntilBound;
    expect((last as Error).name).toBe('ThrottlingException');
    expect(tries.attempts).toBe(3);
    expect(calls.count).toBe(3);
  });

  it('a timeout with no throttled answer before it stays a timeout', async () => {
    const timeout = timedOut();
    await expect(waitFor([timeout]).outcome).rejects.toBe(timeout);
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
