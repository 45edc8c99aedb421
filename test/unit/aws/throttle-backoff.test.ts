import {
  CROWD_WINDOW_MS,
  FIRST_PAUSE_MS,
  LAST_TRY_MS,
  MAX_TRIES,
  throttleRetryDelayMs,
} from '../../../src/aws/throttle-backoff';

const delay = (throttled: number, leftMs: number, random: number) =>
  throttleRetryDelayMs({ throttled, leftMs, random: () => random });

describe('throttleRetryDelayMs()', () => {
  it('after the first throttled answer, waits at least FIRST_PAUSE_MS: the bucket was just found empty', () => {
    const left = 9000;
    const window = left - LAST_TRY_MS;
    expect(delay(1, left, 0)).toBe(FIRST_PAUSE_MS);
    expect(delay(1, left, 0.5)).toBe(FIRST_PAUSE_MS + (window - FIRST_PAUSE_MS) / 2);
    const latest = delay(1, left, 0.999999) ?? -1;
    expect(latest).toBeLessThan(window);
    expect(latest).toBeGreaterThanOrEqual(window - 1);
  });

  it('spreads first retries over the whole time left, however long the bound', () => {
    // An absolute floor, not a share of the bound: with a long bound the first retries must still
    // come before the bucket (ten seconds of refill) has filled up unused.
    for (const left of [9_000, 29_000, 54_000]) {
      expect(delay(1, left, 0)).toBe(FIRST_PAUSE_MS);
      expect(delay(1, left, 0.5)).toBe(FIRST_PAUSE_MS + (left - LAST_TRY_MS - FIRST_PAUSE_MS) / 2);
    }
  });

  it('with less than FIRST_PAUSE_MS of useful time left, tries once more at its end', () => {
    expect(delay(1, 1500, 0)).toBe(1500 - LAST_TRY_MS);
    expect(delay(1, 1500, 0.9)).toBe(1500 - LAST_TRY_MS);
    expect(delay(1, LAST_TRY_MS + 99, 0)).toBeUndefined();
  });

  it('after a second one, tries again only while plenty of time is left, in the last fifth of it', () => {
    const enough = CROWD_WINDOW_MS + LAST_TRY_MS;
    for (const throttled of [2, 3, 5]) {
      expect(delay(throttled, enough, 0)).toBe(CROWD_WINDOW_MS * 0.8);
      expect(delay(throttled, enough, 0.5)).toBe(CROWD_WINDOW_MS * 0.9);
      expect(delay(throttled, enough - 1, 0)).toBeUndefined();
    }
    const left = 20_000 + LAST_TRY_MS;
    expect(delay(2, left, 0)).toBe(16_000);
  });

  it('never makes more than MAX_TRIES tries, however much time is left', () => {
    expect(delay(MAX_TRIES - 1, 3_600_000, 0)).toBeDefined();
    expect(delay(MAX_TRIES, 3_600_000, 0)).toBeUndefined();
  });

  it('gives up on a bound already spent', () => {
    for (const leftMs of [0, -5]) expect(delay(1, leftMs, 0.5)).toBeUndefined();
  });
});
