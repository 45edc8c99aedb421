import { freshness } from '../../../src/cache/freshness';
import {
  entryFor,
  EXPIRY_MARGIN_MS,
  parseEntry,
  serializeEntry,
  tokenOf,
  type CacheEntry,
} from '../../../src/cache/cache-entry';
import { ECR_HOST } from '../../support/registry-host';

const HOUR = 3600_000;
const FETCHED_AT = 1_999_000_000_000;
const scope = { partition: 'aws', region: 'eu-west-1', service: 'ecr', identity: 'abc' } as const;
const valid: CacheEntry = entryFor({
  scope,
  hosts: [ECR_HOST, ECR_HOST],
  token: {
    username: 'AWS',
    password: 'secret',
    expiresAt: FETCHED_AT + 12 * HOUR,
  },
  fetchedAt: FETCHED_AT,
  jitter: 0,
});

/** The entry for a token whose expiry the server gave as `serverLifetime` after local now. */
function entryWith(serverLifetime: number, jitter = 0): CacheEntry {
  return entryFor({
    scope,
    hosts: [],
    token: { username: 'AWS', password: 'pw', expiresAt: FETCHED_AT + serverLifetime },
    fetchedAt: FETCHED_AT,
    jitter,
  });
}

describe('entryFor()', () => {
  it.each([
    ['ECR: 12 hours', 12 * HOUR, 12 * HOUR],
    ['a short-lived token keeps its own life', 2 * HOUR, 2 * HOUR],
    ['a slow local clock (expiry 14 h ahead): capped at 12 hours', 14 * HOUR, 12 * HOUR],
    ['an absurd expiry (year 5138): capped at 12 hours', 99999999999999 - FETCHED_AT, 12 * HOUR],
    // The server minted it a moment ago: the local clock is 13 h fast, the token has 12 h.
    ['expiry an hour in the past (clock 13 h fast): 12 hours', -HOUR, 12 * HOUR],
    ['expiry now (clock 12 h fast): 12 hours', 0, 12 * HOUR],
    ['expiry inside the expiry margin on arrival: 12 hours', EXPIRY_MARGIN_MS, 12 * HOUR],
  ])('%s', (_name, serverLifetime, lifetime) => {
    const entry = entryWith(serverLifetime);
    expect(entry.expiresAt - entry.fetchedAt).toBe(lifetime);
    // Whatever the clocks, the entry is one the parser accepts.
    expect(parseEntry(serializeEntry(entry))).toEqual({ ok: true, entry });
  });

  it('an expiry that is not a number: 12 hours', () => {
    const entry = entryWith(Number.NaN);
    expect(entry.expiresAt - entry.fetchedAt).toBe(12 * HOUR);
  });

  it.each([
    [0, 6],
    [0.25, 5.25],
    [0.5, 4.5],
    [1, 3],
    [-1, 6],
    [2, 3],
  ])('jitter %d: a 12-hour token is refreshed %d hours after the fetch', (jitter, hours) => {
    expect(entryWith(12 * HOUR, jitter).refreshAt).toBe(FETCHED_AT + hours * HOUR);
  });

  it('a 2-hour token is refreshed between a quarter and half of its life', () => {
    expect(entryWith(2 * HOUR, 0).refreshAt).toBe(FETCHED_AT + HOUR);
    expect(entryWith(2 * HOUR, 1).refreshAt).toBe(FETCHED_AT + HOUR / 2);
  });

  it('spreads a fleet that fetched together over three hours (1000 tasks: ~1 call each 11 s)', () => {
    const points = Array.from(
      { length: 1000 },
      (_, i) => entryWith(12 * HOUR, i / 999).refreshAt ?? 0,
    );
    expect(Math.min(...points)).toBe(FETCHED_AT + 3 * HOUR);
    expect(Math.max(...points)).toBe(FETCHED_AT + 6 * HOUR);
    expect(new Set(points.map((point) => Math.floor(point / 60_000))).size).toBeGreaterThan(170);
  });
});

describe('parseEntry()', () => {
  it('round-trips what serializeEntry() wrote, hosts deduplicated', () => {
    expect(valid.hosts).toHaveLength(1);
    expect(parseEntry(serializeEntry(valid))).toEqual({ ok: true, entry: valid });
    expect(tokenOf(valid)).toEqual({
      username: 'AWS',
      password: 'secret',
      expiresAt: FETCHED_AT + 12 * HOUR,
    });
  });

  const text = serializeEntry(valid);
  const edit = (change: Record<string, unknown>) => JSON.stringify({ ...valid, ...change });
  it.each([
    ['empty', ''],
    ['truncated', text.slice(0, 40)],
    ['not JSON', 'garbage'],
    ['null', 'null'],
    ['an array', '[]'],
    ['another version', edit({ version: 2 })],
    ['no version', edit({ version: undefined })],
    ['an empty password', edit({ password: '' })],
    ['a numeric region', edit({ region: 5 })],
    ['an unknown service', edit({ service: 'ecs' })],
    ['expiry before fetch', edit({ expiresAt: valid.fetchedAt - 1 })],
    ['a refresh point before fetch', edit({ refreshAt: valid.fetchedAt - 1 })],
    ['a string refresh point', edit({ refreshAt: '2030-01-01' })],
    ['a string expiry', edit({ expiresAt: '2030-01-01' })],
    ['hosts not strings', edit({ hosts: [1] })],
  ])('rejects %s', (_name, input) => {
    const parsed = parseEntry(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).not.toContain('secret');
  });

  it('caps an entry that claims to live longer than 12 hours (another version, a slow clock)', () => {
    const parsed = parseEntry(edit({ expiresAt: 99999999999999 }));
    expect(parsed).toEqual({ ok: true, entry: { ...valid, expiresAt: FETCHED_AT + 12 * HOUR } });
  });

  it('accepts an entry without a refresh point (written before refresh jitter)', () => {
    const parsed = parseEntry(edit({ refreshAt: undefined }));
    expect(parsed.ok).toBe(true);
  });
});

describe('a Secrets Manager login (its lifetime is our own cacheSeconds, measured locally)', () => {
  const secretScope = { ...scope, service: 'secrets-manager' } as const;
  it.each([30, 60, 900])(
    'cached %d seconds is kept at most that long, and served meanwhile',
    (seconds) => {
      const entry = entryFor({
        scope: secretScope,
        hosts: ['registry.example.com'],
        token: { username: 'u', password: 'p', expiresAt: FETCHED_AT + seconds * 1000 },
        fetchedAt: FETCHED_AT,
        jitter: 0,
      });
      expect(entry.expiresAt - entry.fetchedAt).toBe(seconds * 1000);
      expect(freshness(entry, FETCHED_AT + 1000)).toBe('fresh');
      expect(freshness(entry, FETCHED_AT + seconds * 1000)).toBe('expired');
    },
  );
});
