import { encodeKubeletResponse, goDuration } from '../../../src/protocol/kubelet-response';
import { KUBELET_API_VERSIONS } from '../../../src/protocol/kubelet-request';
import { decodeProviderResponse, parseGoDuration } from '../../support/kubelet';

describe('goDuration()', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [1000, '1s'],
    [59_999, '59s'],
    [60_000, '1m0s'],
    [3_599_000, '59m59s'],
    [6 * 3600_000, '6h0m0s'],
    [3 * 3600_000 + 25 * 60_000 + 7_900, '3h25m7s'],
    [-5, '0s'],
    [Number.NaN, '0s'],
  ])('%d ms is %j', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });

  it('never comes out longer than it was given, as Go reads it back', () => {
    for (const ms of [1, 999, 1001, 61_500, 4 * 3600_000 + 1, 12 * 3600_000 - 1]) {
      const back = parseGoDuration(goDuration(ms));
      expect(back).toBeLessThanOrEqual(ms);
      expect(ms - back).toBeLessThan(1000);
    }
  });
});

describe('encodeKubeletResponse()', () => {
  const auth = { key: 'a.example:5000', username: 'AWS', password: 'pw' };

  it.each(KUBELET_API_VERSIONS)(
    'answers %s in a form the kubelet decodes strictly',
    (apiVersion) => {
      const text = encodeKubeletResponse({ apiVersion, cacheDurationMs: 90_000, auth });
      expect(text.endsWith('\n')).toBe(true);
      expect(decodeProviderResponse(text, { apiVersion })).toEqual({
        cacheKeyType: 'Registry',
        cacheDurationMs: 90_000,
        auth: { 'a.example:5000': { username: 'AWS', password: 'pw' } },
      });
    },
  );

  it('says "no credentials" with an empty auth and 0s', () => {
    const apiVersion = KUBELET_API_VERSIONS[0];
    const decoded = decodeProviderResponse(
      encodeKubeletResponse({ apiVersion, cacheDurationMs: 0, auth: null }),
      { apiVersion },
    );
    expect(decoded).toEqual({ cacheKeyType: 'Registry', cacheDurationMs: 0, auth: {} });
  });

  it('sets serviceAccountTokenCacheType for a request with a token, in v1 only', () => {
    const token = { serviceAccountTokenCacheType: 'ServiceAccount' as const };
    const v1 = KUBELET_API_VERSIONS[0];
    const withToken = encodeKubeletResponse({
      apiVersion: v1,
      cacheDurationMs: 1000,
      auth,
      ...token,
    });
    expect(
      decodeProviderResponse(withToken, { apiVersion: v1, serviceAccountToken: 'sa' }),
    ).toMatchObject(token);
    for (const apiVersion of KUBELET_API_VERSIONS.slice(1)) {
      const text = encodeKubeletResponse({ apiVersion, cacheDurationMs: 1000, auth, ...token });
      expect(text).not.toContain('serviceAccountTokenCacheType');
    }
  });
});
