import { mayServeStale } from '../../../src/cache/may-serve-stale';
import { HelperError, type ErrorCode } from '../../../src/errors';
import { FETCHED_AT, HOUR, TWELVE_HOUR_ENTRY } from '../../support/cache-entry';

const fetchedAt = FETCHED_AT;
const entry = TWELVE_HOUR_ENTRY;
const stale = fetchedAt + 8 * HOUR;
const failed = (code: ErrorCode) => ({ busy: false, error: new HelperError(code, 'x') }) as const;

describe('mayServeStale()', () => {
  it('serves a stale token while another process refreshes it', () => {
    expect(mayServeStale(entry, stale, { busy: true })).toBe(true);
  });

  it.each<ErrorCode>(['THROTTLED', 'NETWORK', 'AWS_API'])(
    'serves a stale token when the refresh failed with %s (transient)',
    (code) => {
      expect(mayServeStale(entry, stale, failed(code))).toBe(true);
    },
  );

  it.each<ErrorCode>(['TIMEOUT', 'ACCESS_DENIED', 'NO_AWS_CREDENTIALS', 'AWS_CREDENTIALS'])(
    'lets %s surface: the bound is spent or the credentials are wrong',
    (code) => {
      expect(mayServeStale(entry, stale, failed(code))).toBe(false);
    },
  );

  it('never serves a fresh entry (it is answered as is), an expired one, or none', () => {
    expect(mayServeStale(entry, fetchedAt + HOUR, { busy: true })).toBe(false);
    expect(mayServeStale(entry, fetchedAt + 12 * HOUR, { busy: true })).toBe(false);
    expect(mayServeStale(undefined, stale, { busy: true })).toBe(false);
  });

  it('does not take a plain error for a transient one', () => {
    expect(mayServeStale(entry, stale, { busy: false, error: new Error('ECONNRESET') })).toBe(
      false,
    );
  });
});
