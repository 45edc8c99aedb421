import {
  entryFor,
  parseEntry,
  serializeEntry,
  tokenOf,
  type CacheEntry,
} from '../../../src/cache/cache-entry';
import { ECR_HOST } from '../../support/registry-host';

const valid: CacheEntry = entryFor({
  scope: { partition: 'aws', region: 'eu-west-1', service: 'ecr', identity: 'abc' },
  hosts: [ECR_HOST, ECR_HOST],
  token: {
    username: 'AWS',
    password: 'secret',
    expiresAt: 2_000_000_000_000,
  },
  fetchedAt: 1_999_000_000_000,
});

describe('parseEntry()', () => {
  it('round-trips what serializeEntry() wrote, hosts deduplicated', () => {
    expect(valid.hosts).toHaveLength(1);
    expect(parseEntry(serializeEntry(valid))).toEqual({ ok: true, entry: valid });
    expect(tokenOf(valid)).toEqual({
      username: 'AWS',
      password: 'secret',
      expiresAt: 2_000_000_000_000,
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
    ['a string expiry', edit({ expiresAt: '2030-01-01' })],
    ['hosts not strings', edit({ hosts: [1] })],
  ])('rejects %s', (_name, input) => {
    const parsed = parseEntry(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).not.toContain('secret');
  });
});
