/**
 * The kubelet emulation (test/support/kubelet.ts) is the oracle the provider is checked against:
 * these tests show it refuses what the kubelet refuses, so a passing provider test means something.
 */
import {
  decodeProviderConfig,
  decodeProviderResponse,
  goPathMatch,
  keyringLookup,
  parseGoDuration,
  urlsMatchStr,
} from '../../support/kubelet';

const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';
const OK = {
  apiVersion: V1,
  kind: 'CredentialProviderResponse',
  cacheKeyType: 'Registry',
  cacheDuration: '1h0m0s',
  auth: { 'a.example': { username: 'u', password: 'p' } },
};

describe('parseGoDuration() (time.ParseDuration)', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['6h0m0s', 6 * 3600_000],
    ['21600s', 21600_000],
    ['1h30m', 5400_000],
    ['1.5s', 1500],
    ['.5s', 500],
    ['300ms', 300],
    ['-1m', -60_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });
  it.each(['', '1', 's', '1x', '1.s.', 'h', '+', '1h 2m'])('%j is not a duration', (text) => {
    expect(() => parseGoDuration(text)).toThrow();
  });
});

describe('goPathMatch() (path/filepath.Match)', () => {
  it.each([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*/b', 'abc/c', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abe', true],
    ['a?b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['app*', 'app', true],
    ['dkr', 'dkr-ecr', false],
  ])('Match(%j, %j) = %s', (pattern, name, expected) => {
    expect(goPathMatch(pattern, name)).toBe(expected);
  });
  it.each(['[', '[^', 'a[', '\\', '[a-', 'ab[^b-'])('%j is a bad pattern', (pattern) => {
    expect(() => goPathMatch(pattern, 'abc')).toThrow();
  });
});

describe('urlsMatchStr() (keyring.go)', () => {
  it.each([
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com/app', true],
    ['*.io', 'a.k8s.io', false],
    ['*.k8s.io', 'a.k8s.io/x', true],
    ['app*.k8s.io', 'app1.k8s.io', true],
    ['registry.io:8080/path', 'registry.io:8080/path/app', true],
    ['registry.io:8080/path', 'registry.io/path/app', false],
    ['registry.io', 'registry.io:5000/app', false],
    ['registry.io/team', 'registry.io/other', false],
    ['Registry.io', 'registry.io/app', false],
  ])('%j covers %j: %s', (glob, image, expected) => {
    expect(urlsMatchStr(glob, image)).toBe(expected);
  });

  it('keyringLookup() finds a registry key for an image of that registry, the longest key first', () => {
    const auth = {
      'a.example': { username: 'short', password: '1' },
      'a.example/team': { username: 'long', password: '2' },
    };
    expect(keyringLookup(auth, 'a.example/team/app').map((entry) => entry.username)).toEqual([
      'long',
      'short',
    ]);
    expect(keyringLookup(auth, 'b.example/team/app')).toEqual([]);
  });
});

describe('decodeProviderResponse() drops what the kubelet drops', () => {
  const decode = (
    value: unknown,
    options: Partial<Parameters<typeof decodeProviderResponse>[1]> = {},
  ) => decodeProviderResponse(JSON.stringify(value), { apiVersion: V1, ...options });

  it('accepts a well-formed answer', () => {
    expect(decode(OK)).toMatchObject({ cacheKeyType: 'Registry', cacheDurationMs: 3600_000 });
  });
  it.each([
    ['an unknown field', { ...OK, extra: 1 }, /unknown field "extra"/],
    [
      'an unknown auth field',
      { ...OK, auth: { a: { username: 'u', password: 'p', email: 'e' } } },
      /unknown field/,
    ],
    ['a field in the wrong case', { ...OK, CacheKeyType: 'Registry' }, /unknown field/],
    ['another apiVersion', { ...OK, apiVersion: V1BETA1 }, /did not match/],
    ['another kind', { ...OK, kind: 'CredentialProviderRequest' }, /Kind/],
    ['an invalid cacheKeyType', { ...OK, cacheKeyType: 'registry' }, /cacheKeyType/],
    ['no cacheKeyType', { ...OK, cacheKeyType: undefined }, /cacheKeyType/],
    ['a number as cacheDuration', { ...OK, cacheDuration: 3600 }, /must be a string/],
    ['a bad Go duration', { ...OK, cacheDuration: '6 hours' }, /duration/],
  ])('refuses %s', (_, value, error) => {
    expect(() => decode(value)).toThrow(error);
  });
  it('refuses a duplicate field', () => {
    const text = JSON.stringify(OK).replace(
      '"cacheKeyType":"Registry"',
      '"cacheKeyType":"Registry","cacheKeyType":"Image"',
    );
    expect(() => decodeProviderResponse(text, { apiVersion: V1 })).toThrow(/duplicate/);
  });
  it('refuses serviceAccountTokenCacheType where the version has no such field', () => {
    const value = { ...OK, apiVersion: V1BETA1, serviceAccountTokenCacheType: 'ServiceAccount' };
    expect(() => decode(value, { apiVersion: V1BETA1 })).toThrow(/unknown field/);
  });
  it('with a token: needs serviceAccountTokenCacheType, and never the token as the password', () => {
    expect(() => decode(OK, { serviceAccountToken: 'sa' })).toThrow(/required/);
    const echoed = {
      ...OK,
      serviceAccountTokenCacheType: 'ServiceAccount',
      auth: { a: { username: 'u', password: 'sa' } },
    };
    expect(() => decode(echoed, { serviceAccountToken: 'sa' })).toThrow(/token as the password/);
  });
});

describe('decodeProviderConfig() stops a kubelet where the kubelet stops', () => {
  const provider = {
    name: 'p',
    matchImages: ['*.example.com'],
    defaultCacheDuration: '12h',
    apiVersion: V1,
  };
  const config = (providers: unknown[], apiVersion = 'kubelet.config.k8s.io/v1') =>
    JSON.stringify({ apiVersion, kind: 'CredentialProviderConfig', providers });

  it('accepts a minimal provider', () => {
    expect(decodeProviderConfig(config([provider]))[0]).toMatchObject({
      name: 'p',
      defaultCacheDurationMs: 12 * 3600_000,
    });
  });
  it.each([
    ['a wrong config apiVersion', config([provider], 'kubelet.config.k8s.io/v2'), /registered/],
    ['an unknown provider field', config([{ ...provider, cacheDuration: '1h' }]), /unknown field/],
    [
      'a missing defaultCacheDuration',
      config([{ ...provider, defaultCacheDuration: undefined }]),
      /required/,
    ],
    ['a bad provider apiVersion', config([{ ...provider, apiVersion: 'v1' }]), /not supported/],
    ['no matchImages', config([{ ...provider, matchImages: [] }]), /matchImages/],
    ['a name with a slash', config([{ ...provider, name: 'a/b' }]), /cannot contain/],
    ['two providers of one name', config([provider, provider]), /duplicate/],
    ['no providers', config([]), /at least 1/],
    ['env as a map', config([{ ...provider, env: { A: 'b' } }]), /expected a list/],
  ])('refuses %s', (_, text, error) => {
    expect(() => decodeProviderConfig(text)).toThrow(error);
  });
  it('refuses tokenAttributes without the feature gate, or without their required fields', () => {
    const token = {
      serviceAccountTokenAudience: 'a',
      cacheType: 'ServiceAccount',
      requireServiceAccount: false,
    };
    expect(() =>
      decodeProviderConfig(config([{ ...provider, tokenAttributes: token }]), false),
    ).toThrow(/gate/);
    expect(() =>
      decodeProviderConfig(
        config([{ ...provider, tokenAttributes: { ...token, cacheType: 'Pod' } }]),
      ),
    ).toThrow(/cacheType/);
    expect(
      decodeProviderConfig(config([{ ...provider, tokenAttributes: token }]))[0]?.tokenAttributes,
    ).toEqual(token);
  });
});
