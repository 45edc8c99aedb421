import {
  CROWD_WINDOW_MS,
  LAST_TRY_MS,
  MAX_TRIES,
  throttleRetryDelayMs,
} from '../../../src/aws/throttle-backoff';

describe('throttleRetryDelayMs()', () => {
  it('picks the next try anywhere in the time left, keeping room for the try itself', () => {
    const left = 9000;
    expect(throttleRetryDelayMs({ throttled: 1, leftMs: left, random: () => 0 })).toBe(0);
    expect(throttleRetryDelayMs({ throttled: 1, leftMs: left, random: () => 0.5 })).toBe(
      (left - LAST_TRY_MS) / 2,
    );
    const latest = throttleRetryDelayMs({ throttled: 1, leftMs: left, random: () => 0.999999 });
    expect(latest).toBeLessThan(left - LAST_TRY_MS);
    expect(latest).toBeGreaterThanOrEqual(left - LAST_TRY_MS - 1);
  });

  it('scales with the budget it is given: a longer bound spreads the tries wider', () => {
    const at = (leftMs: number) =>
      throttleRetryDelayMs({ throttled: 1, leftMs, random: () => 0.5 }) ?? -1;
    expect(at(54_000)).toBe((54_000 - LAST_TRY_MS) / 2);
    expect(at(54_000)).toBeGreaterThan(at(9_000));
  });

  it('after the first throttled answer, tries again while any useful time is left', () => {
    expect(throttleRetryDelayMs({ throttled: 1, leftMs: 600, random: () => 0.5 })).toBe(100);
    expect(throttleRetryDelayMs({ throttled: 1, leftMs: LAST_TRY_MS + 99, random: () => 0 })).toBe(
      undefined,
    );
  });

  it('after a second one, tries again only while plenty of time is left', () => {
    const enough = CROWD_WINDOW_MS + LAST_TRY_MS;
    for (const throttled of [2, 3, 5]) {
      expect(throttleRetryDelayMs({ throttled, leftMs: enough, random: () => 0 })).toBe(0);
      expect(throttleRetryDelayMs({ throttled, leftMs: enough - 1, random: () => 0 })).toBe(
        undefined,
      );
    }
  });

  it('never makes more than MAX_TRIES tries, however much time is left', () => {
    const next = (throttled: number) =>
      throttleRetryDelayMs({ throttled, leftMs: 3_600_000, random: () => 0 });
    expect(next(MAX_TRIES - 1)).toBe(0);
    expect(next(MAX_TRIES)).toBeUndefined();
  });

  it('gives up on a bound already spent', () => {
    for (const leftMs of [0, -5]) {
      expect(throttleRetryDelayMs({ throttled: 1, leftMs, random: () => 0.5 })).toBeUndefined();
    }
  });
});
