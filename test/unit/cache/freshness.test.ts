import { freshness, isLive } from '../../../src/cache/freshness';
import { FETCHED_AT, HOUR, TWELVE_HOUR_ENTRY } from '../../support/cache-entry';

const fetchedAt = FETCHED_AT;
const entry = TWELVE_HOUR_ENTRY;

describe('freshness()', () => {
  it.each([
    ['just fetched', 0, 'fresh'],
    ['one hour in', 1 * HOUR, 'fresh'],
    ['a millisecond before half life', 6 * HOUR - 1, 'fresh'],
    ['at half life', 6 * HOUR, 'stale'],
    ['eleven hours in', 11 * HOUR, 'stale'],
    ['inside the one-minute expiry margin', 12 * HOUR - 60_000, 'expired'],
    ['at expiry', 12 * HOUR, 'expired'],
    ['a day later', 24 * HOUR, 'expired'],
    ['a minute before it was fetched (clock jitter)', -60_000, 'fresh'],
    ['an hour before it was fetched (the clock went back)', -HOUR, 'stale'],
  ] as const)('%s: %s', (_name, offset, expected) => {
    expect(freshness(entry, fetchedAt + offset)).toBe(expected);
  });

  it('isLive() holds until the expiry margin', () => {
    expect(isLive(entry, fetchedAt + 11 * HOUR)).toBe(true);
    expect(isLive(entry, fetchedAt + 12 * HOUR - 1)).toBe(false);
  });

  it('refreshes a short-lived token at its own half life', () => {
    const short = { ...entry, expiresAt: fetchedAt + 2 * HOUR };
    expect(freshness(short, fetchedAt + HOUR - 1)).toBe('fresh');
    expect(freshness(short, fetchedAt + HOUR)).toBe('stale');
  });
});

describe('the refresh point', () => {
  it('comes from the entry (its jitter), between a quarter and half of the life', () => {
    const jittered = { ...entry, refreshAt: fetchedAt + 3 * HOUR };
    expect(freshness(jittered, fetchedAt + 3 * HOUR - 1)).toBe('fresh');
    expect(freshness(jittered, fetchedAt + 3 * HOUR)).toBe('stale');
  });

  it('is never later than half life, whatever the file says', () => {
    const late = { ...entry, refreshAt: fetchedAt + 11 * HOUR };
    expect(freshness(late, fetchedAt + 6 * HOUR)).toBe('stale');
  });
});
