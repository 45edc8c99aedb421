import type { CacheEntry } from '../../../src/cache/cache-entry';
import { freshness, isLive } from '../../../src/cache/freshness';

const HOUR = 3600_000;
const fetchedAt = Date.UTC(2026, 0, 1);
const entry: CacheEntry = {
  version: 1,
  partition: 'aws',
  region: 'eu-west-1',
  service: 'ecr',
  identity: 'id',
  hosts: [],
  username: 'AWS',
  password: 'pw',
  fetchedAt,
  expiresAt: fetchedAt + 12 * HOUR,
};

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
