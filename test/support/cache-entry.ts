/** A cache entry for the pure cache rules' tests: an ECR token fetched at FETCHED_AT, 12 hours. */
import type { CacheEntry } from '../../src/cache/cache-entry';

export const HOUR = 3600_000;
export const FETCHED_AT = Date.UTC(2026, 0, 1);

/** The entry of a 12-hour ECR token fetched at FETCHED_AT, without a refresh point of its own. */
export const TWELVE_HOUR_ENTRY: CacheEntry = {
  version: 1,
  partition: 'aws',
  region: 'eu-west-1',
  service: 'ecr',
  identity: 'id',
  hosts: [],
  username: 'AWS',
  password: 'pw',
  fetchedAt: FETCHED_AT,
  expiresAt: FETCHED_AT + 12 * HOUR,
};
