import type { Progress } from '../../src/call-context';
import {
  attemptBudget,
  attemptTimeoutMs,
  credentialBudget,
  withDeadline,
  workDeadline,
  type Bound,
} from '../../src/deadline';
import { HelperError } from '../../src/errors';

describe('withDeadline()', () => {
  it('returns the work’s result when it finishes in time', async () => {
    let bound: Bound | undefined;
    const result = await withDeadline({
      timeoutMs: 5000,
      progress: { step: 'x' },
      work: async (given) => {
        bound = given;
        return 42;
      },
    });
    expect(result).toBe(42);
    expect(bound?.signal.aborted).toBe(false);
  });

  it('passes the work’s own error through', async () => {
    const failure = new HelperError('ACCESS_DENIED', 'denied');
    await expect(
      withDeadline({
        timeoutMs: 5000,
        progress: { step: 'x' },
        work: () => Promise.reject(failure),
      }),
    ).rejects.toBe(failure);
  });

  it('ends a hung call with TIMEOUT naming the step it was on, and aborts', async () => {
    jest.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      const progress: Progress = { step: 'starting' };
      const pending = withDeadline({
        timeoutMs: 2500,
        progress,
        work: (bound) => {
          signal = bound.signal;
          return new Promise<never>(() => undefined);
        },
      });
      progress.step = 'calling GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com';
      jest.advanceTimersByTime(2500);
      const error = await pending.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HelperError);
      expect((error as HelperError).code).toBe('TIMEOUT');
      expect((error as HelperError).message).toBe(
        'timed out after 2.5 s while calling GetAuthorizationToken at https://api.ecr.eu-west-1.amazonaws.com. Check that endpoint, or raise ECR_TS_TIMEOUT (seconds).',
      );
      expect(signal?.aborted).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers what `expired` makes of the timeout, where the caller words it itself', async () => {
    jest.useFakeTimers();
    try {
      const progress: Progress = { step: 'starting' };
      const pending = withDeadline({
        timeoutMs: 1000,
        progress,
        work: () => new Promise<string>(() => undefined),
        expired: (text) => `finding: ${text}`,
      });
      progress.step = 'calling sts:GetCallerIdentity';
      jest.advanceTimersByTime(1000);
      expect(await pending).toBe(
        'finding: timed out after 1 s while calling sts:GetCallerIdentity',
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('aborts the work when the caller’s own signal does, and detaches from it afterwards', async () => {
    const caller = new AbortController();
    let signal: AbortSignal | undefined;
    const pending = withDeadline({
      timeoutMs: 5000,
      progress: { step: 'x' },
      signal: caller.signal,
      work: (bound) => {
        signal = bound.signal;
        return new Promise<string>((resolve) =>
          bound.signal.addEventListener('abort', () => resolve('aborted')),
        );
      },
    });
    caller.abort();
    expect(await pending).toBe('aborted');
    expect(signal?.aborted).toBe(true);
    const done = new AbortController();
    let later: AbortSignal | undefined;
    await withDeadline({
      timeoutMs: 5000,
      progress: { step: 'x' },
      signal: done.signal,
      work: async (bound) => {
        later = bound.signal;
      },
    });
    done.abort();
    expect(later?.aborted).toBe(false);
  });

  it('starts aborted when the caller’s signal already is', async () => {
    const caller = new AbortController();
    caller.abort();
    const aborted = await withDeadline({
      timeoutMs: 5000,
      progress: { step: 'x' },
      signal: caller.signal,
      work: async (bound) => bound.signal.aborted,
    });
    expect(aborted).toBe(true);
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

describe('attemptTimeoutMs()', () => {
  it('gives the first attempt half the time left, so that a retry with as long still fits', () => {
    expect(attemptTimeoutMs({ leftMs: 9_700, attempt: 1, maxAttempts: 3 })).toBe(4_850);
  });

  it('lets an API answering in 3.5 s finish its first attempt at the default 10 s bound', () => {
    // Three equal attempts of 2.8 s each would never let a 3.5 s answer arrive.
    expect(attemptTimeoutMs({ leftMs: 9_500, attempt: 1, maxAttempts: 3 })).toBeGreaterThan(3_500);
  });

  it.each([
    [2, 3],
    [3, 3],
    [1, 1],
  ])(
    'spends all the time left on attempt %i of %i (a cut there leaves no retry time)',
    (attempt, maxAttempts) => {
      expect(attemptTimeoutMs({ leftMs: 4_321, attempt, maxAttempts })).toBe(4_321);
    },
  );

  it('makes a small budget one attempt with all of it', () => {
    expect(attemptTimeoutMs({ leftMs: 1_500, attempt: 1, maxAttempts: 3 })).toBe(1_500);
  });

  it('caps the first attempt of a huge budget, so the retry that would succeed is not delayed', () => {
    expect(attemptTimeoutMs({ leftMs: 3_600_000, attempt: 1, maxAttempts: 3 })).toBe(10_000);
  });

  it('never asks for a zero or negative timeout (which would mean none)', () => {
    expect(attemptTimeoutMs({ leftMs: -50, attempt: 3, maxAttempts: 3 })).toBe(1);
  });
});

describe('attemptBudget()', () => {
  it.each([10_000, 5_000, 2_000, 60_000])(
    'keeps three attempts and a connect timeout that three of fit in %i ms',
    (remaining) => {
      const budget = attemptBudget(remaining);
      expect(budget.maxAttempts).toBe(3);
      expect(3 * budget.connectionTimeoutMs).toBeLessThanOrEqual(remaining);
    },
  );

  it('caps the connect timeout at 3 s', () => {
    expect(attemptBudget(3_600_000).connectionTimeoutMs).toBe(3000);
  });
});

describe('workDeadline()', () => {
  it('ends the work before the bound, leaving time to answer and exit', () => {
    expect(workDeadline(1_000_000, 10_000)).toBe(1_000_000 + 10_000 - 500);
    expect(workDeadline(0, 1_000)).toBe(900);
  });

  it('ends sooner when the process must be over sooner (its caller stops it then)', () => {
    expect(workDeadline(1_000_000, 10_000, 1_004_000)).toBe(1_004_000 - 500);
    expect(workDeadline(1_000_000, 10_000, 2_000_000)).toBe(1_000_000 + 10_000 - 500);
    expect(workDeadline(1_000_000, 10_000, null)).toBe(1_000_000 + 10_000 - 500);
  });
});

describe('withDeadline() with a deadline', () => {
  it('fires at the deadline it is given, not a whole timeoutMs from now', async () => {
    jest.useFakeTimers({ now: 50_000 });
    try {
      let bound: Bound | undefined;
      const pending = withDeadline({
        timeoutMs: 10_000,
        deadline: 50_000 + 9_000,
        progress: { step: 'waiting' },
        work: (given) => {
          bound = given;
          return new Promise<never>(() => undefined);
        },
      });
      const settled = pending.catch((e: unknown) => e);
      expect(bound?.deadline).toBe(59_000);
      jest.advanceTimersByTime(8_999);
      expect(bound?.signal.aborted).toBe(false);
      jest.advanceTimersByTime(1);
      expect(bound?.signal.aborted).toBe(true);
      expect(await settled).toBeInstanceOf(HelperError);
    } finally {
      jest.useRealTimers();
    }
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
