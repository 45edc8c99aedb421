import type { Progress } from '../../src/call-context';
import { attemptBudget, credentialBudget, withDeadline } from '../../src/deadline';
import { HelperError } from '../../src/errors';

describe('withDeadline()', () => {
  it('returns the work’s result when it finishes in time', async () => {
    const controller = new AbortController();
    const result = await withDeadline({
      timeoutMs: 5000,
      progress: { step: 'x' },
      controller,
      work: async () => 42,
    });
    expect(result).toBe(42);
    expect(controller.signal.aborted).toBe(false);
  });

  it('passes the work’s own error through', async () => {
    const failure = new HelperError('ACCESS_DENIED', 'denied');
    await expect(
      withDeadline({
        timeoutMs: 5000,
        progress: { step: 'x' },
        controller: new AbortController(),
        work: () => Promise.reject(failure),
      }),
    ).rejects.toBe(failure);
  });

  it('ends a hung call with TIMEOUT naming the step it was on, and aborts', async () => {
    jest.useFakeTimers();
    try {
      const controller = new AbortController();
      const progress: Progress = { step: 'starting' };
      const pending = withDeadline({
        timeoutMs: 2500,
        progress,
        controller,
        work: () => new Promise<never>(() => undefined),
      });
      progress.step = 'calling GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com';
      jest.advanceTimersByTime(2500);
      const error = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HelperError);
      expect((error as HelperError).code).toBe('TIMEOUT');
      expect((error as HelperError).message).toBe(
        'timed out after 2.5 s while calling GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com. Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).',
      );
      expect(controller.signal.aborted).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('withDeadline() waiting on the caller', () => {
  it('tells the caller to close stdin instead of blaming an endpoint', async () => {
    jest.useFakeTimers();
    try {
      const progress: Progress = { step: 'reading the server URL from stdin' };
      const pending = withDeadline({
        timeoutMs: 1000,
        progress,
        controller: new AbortController(),
        work: () => new Promise<never>(() => undefined),
      });
      jest.advanceTimersByTime(1000);
      await expect(pending).rejects.toThrow(
        'timed out after 1 s while reading the server URL from stdin. The caller must write its input and close stdin.',
      );
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('withDeadline() hints', () => {
  async function timeoutMessage(step: string): Promise<string> {
    jest.useFakeTimers();
    try {
      const pending = withDeadline({
        timeoutMs: 3000,
        progress: { step },
        controller: new AbortController(),
        work: () => new Promise<never>(() => undefined),
      });
      jest.advanceTimersByTime(3000);
      const error = await pending.catch((e: unknown) => e);
      return (error as Error).message;
    } finally {
      jest.useRealTimers();
    }
  }

  it.each([
    'getting AWS credentials from the default credential chain',
    'waiting for AWS credentials from container credentials endpoint http://127.0.0.1:9 (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
    'calling GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com',
  ])('points at the endpoint while %s', async (step) => {
    expect(await timeoutMessage(step)).toContain('Check that endpoint');
  });

  it.each([
    'waiting for another docker-credential-ecr-ts process to fetch the token (lock /c/x.json.lock)',
    'waiting for the lock /d/config.json.lock (another configure run)',
    'updating /d/config.json',
    'starting',
  ])('blames no endpoint while %s', async (step) => {
    const message = await timeoutMessage(step);
    expect(message).not.toContain('endpoint');
    expect(message).toBe(
      `timed out after 3 s while ${step}. Raise ECR_TS_TIMEOUT (seconds) if it needs longer.`,
    );
  });
});

describe('attemptBudget()', () => {
  it.each([10_000, 9_000, 5_000, 3_000, 2_000, 60_000])(
    'all attempts and their backoff fit in %i ms',
    (remaining) => {
      const budget = attemptBudget(remaining);
      expect(budget.maxAttempts).toBe(3);
      expect(budget.maxAttempts * budget.requestTimeoutMs).toBeLessThanOrEqual(remaining);
      expect(budget.connectionTimeoutMs).toBeLessThanOrEqual(budget.requestTimeoutMs);
    },
  );

  it('gives each attempt about 2.8 s of the default 10 s bound', () => {
    expect(attemptBudget(10_000)).toEqual({
      maxAttempts: 3,
      connectionTimeoutMs: 2833,
      requestTimeoutMs: 2833,
    });
  });

  it('keeps a floor for tiny budgets and a ceiling for huge ones', () => {
    expect(attemptBudget(100).requestTimeoutMs).toBe(200);
    expect(attemptBudget(3_600_000).requestTimeoutMs).toBe(10_000);
    expect(attemptBudget(3_600_000).connectionTimeoutMs).toBe(3000);
  });
});

describe('credentialBudget()', () => {
  it('lets the container provider’s ~8 timeouts fit in the time left', () => {
    for (const remaining of [10_000, 4_000, 2_000]) {
      const budget = credentialBudget(remaining);
      expect(8 * budget.timeoutMs).toBeLessThanOrEqual(remaining);
    }
  });

  it('is 1 s (the SDK default) with the default bound, and never below 100 ms', () => {
    expect(credentialBudget(10_000)).toEqual({ timeoutMs: 1000, maxRetries: 2 });
    expect(credentialBudget(10).timeoutMs).toBe(100);
  });
});
