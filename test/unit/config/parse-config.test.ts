import { parseConfig } from '../../../src/config/parse-config';
import { DEFAULT_ROUTE_TABLE } from '../../../src/routing/route-table';

describe('parseConfig()', () => {
  it('defaults: 10 s bound, cache under ~/.cache, warnings only, no routes', () => {
    expect(parseConfig({}, '/home/u')).toEqual({
      home: '/home/u',
      timeoutMs: 10_000,
      cacheDir: '/home/u/.cache/docker-credential-ecr-ts',
      logLevel: 'warn',
      logFile: null,
      ignoreCredsStorage: false,
      warnings: [],
      routes: DEFAULT_ROUTE_TABLE,
      endBy: null,
    });
    expect(DEFAULT_ROUTE_TABLE.fallback).toEqual({ kind: 'file' });
    expect(DEFAULT_ROUTE_TABLE.entries()).toEqual([]);
  });
  it('honours XDG_CACHE_HOME, AWS_ECR_CACHE_DIR and AWS_ECR_DISABLE_CACHE in that order', () => {
    expect(parseConfig({ XDG_CACHE_HOME: '/x' }, '/h').cacheDir).toBe(
      '/x/docker-credential-ecr-ts',
    );
    expect(parseConfig({ XDG_CACHE_HOME: '/x', AWS_ECR_CACHE_DIR: '/c' }, '/h').cacheDir).toBe(
      '/c',
    );
    expect(
      parseConfig({ AWS_ECR_CACHE_DIR: '/c', AWS_ECR_DISABLE_CACHE: '1' }, '/h').cacheDir,
    ).toBe(null);
  });
  it('reads AWS_ECR_DISABLE_CACHE as the Go helper does: any non-empty value, "false" too', () => {
    for (const value of ['1', 'true', 'false', '0', 'anything']) {
      expect(parseConfig({ AWS_ECR_DISABLE_CACHE: value }, '/h').cacheDir).toBeNull();
    }
    expect(parseConfig({ AWS_ECR_DISABLE_CACHE: '' }, '/h').cacheDir).not.toBeNull();
  });
  it('ECR_TS_CACHE_DIR and ECR_TS_DISABLE_CACHE win over their AWS_ECR_* namesakes', () => {
    const both = { AWS_ECR_CACHE_DIR: '/go-helper', ECR_TS_CACHE_DIR: '~/.ours' };
    expect(parseConfig(both, '/home/u').cacheDir).toBe('/home/u/.ours');
    expect(parseConfig({ ECR_TS_CACHE_DIR: '/ours' }, '/h').cacheDir).toBe('/ours');
    const relative = parseConfig({ ...both, ECR_TS_CACHE_DIR: 'rel' }, '/h');
    expect([relative.cacheDir, relative.warnings]).toEqual([
      null,
      ['ignoring ECR_TS_CACHE_DIR "rel": not an absolute path; the token cache is off'],
    ]);
    // false keeps the cache on whatever AWS_ECR_DISABLE_CACHE says; true turns it off.
    for (const off of ['false', '0', 'No']) {
      const env = { AWS_ECR_DISABLE_CACHE: '1', ECR_TS_DISABLE_CACHE: off };
      expect(parseConfig(env, '/h').cacheDir).toBe('/h/.cache/docker-credential-ecr-ts');
    }
    for (const on of ['true', '1', 'YES']) {
      expect(parseConfig({ ECR_TS_DISABLE_CACHE: on, ECR_TS_CACHE_DIR: '/c' }, '/h').cacheDir).toBe(
        null,
      );
    }
    expect(() => parseConfig({ ECR_TS_DISABLE_CACHE: 'maybe' }, '/h')).toThrow(
      'invalid ECR_TS_DISABLE_CACHE "maybe": expected true or false (or 1/0, yes/no)',
    );
  });
  it('reads ECR_TS_TIMEOUT in seconds and rejects nonsense', () => {
    expect(parseConfig({ ECR_TS_TIMEOUT: '2.5' }, '/h').timeoutMs).toBe(2500);
    expect(() => parseConfig({ ECR_TS_TIMEOUT: 'soon' }, '/h')).toThrow(
      /invalid ECR_TS_TIMEOUT "soon"/,
    );
    expect(() => parseConfig({ ECR_TS_TIMEOUT: '0' }, '/h')).toThrow(/ECR_TS_TIMEOUT/);
  });
  it('reads ECR_TS_LOG_LEVEL and AWS_ECR_IGNORE_CREDS_STORAGE', () => {
    const config = parseConfig(
      { ECR_TS_LOG_LEVEL: 'DEBUG', AWS_ECR_IGNORE_CREDS_STORAGE: 'true' },
      '/h',
    );
    expect(config).toMatchObject({ logLevel: 'debug', ignoreCredsStorage: true });
    expect(() => parseConfig({ ECR_TS_LOG_LEVEL: 'loud' }, '/h')).toThrow(/ECR_TS_LOG_LEVEL/);
  });
});

describe('parseConfig() and ECR_TS_DEADLINE (set by a delegating instance of this helper)', () => {
  const now = 1_800_000_000_000;
  const endBy = (value: string) =>
    parseConfig({ ECR_TS_DEADLINE: value }, '/h', DEFAULT_ROUTE_TABLE, now).endBy;

  it('is when the call must be over, also when that has passed', () => {
    expect(endBy(String(now + 2500))).toBe(now + 2500);
    expect(endBy(String(now - 10))).toBe(now - 10);
  });

  it.each(['', 'soon', '-5', '1.5e12', String(now + 3_700_000), String(now - 3_700_000)])(
    'ignores %j: not a deadline of a call running now',
    (value) => {
      expect(endBy(value)).toBeNull();
    },
  );
});

describe('parseConfig() cache folder from hostile or unexpanded paths', () => {
  it.each([
    ['a relative XDG_CACHE_HOME (invalid per the XDG spec)', { XDG_CACHE_HOME: 'relative/cache' }],
    ['a dot XDG_CACHE_HOME', { XDG_CACHE_HOME: '.' }],
    ['a blank XDG_CACHE_HOME', { XDG_CACHE_HOME: '  ' }],
  ])('ignores %s and uses ~/.cache', (_what, env) => {
    expect(parseConfig(env, '/home/u').cacheDir).toBe('/home/u/.cache/docker-credential-ecr-ts');
  });

  it.each([
    ['~/.ecr', '/home/u/.ecr'],
    ['~', '/home/u'],
    ['/abs/~/x', '/abs/~/x'],
  ])('expands AWS_ECR_CACHE_DIR=%s as the reference helper does', (value, expected) => {
    expect(parseConfig({ AWS_ECR_CACHE_DIR: value }, '/home/u').cacheDir).toBe(expected);
  });

  it.each([['relcache'], ['./cache'], ['~other/x']])(
    'refuses a relative AWS_ECR_CACHE_DIR=%s with a warning: no cache rather than the working folder',
    (value) => {
      const config = parseConfig({ AWS_ECR_CACHE_DIR: value }, '/home/u');
      expect(config.cacheDir).toBeNull();
      expect(config.warnings).toEqual([
        `ignoring AWS_ECR_CACHE_DIR "${value}": not an absolute path; the token cache is off`,
      ]);
    },
  );
});

describe('parseConfig() without a home folder', () => {
  it('has no default cache folder, and says nothing about it', () => {
    const config = parseConfig({}, null);
    expect([config.cacheDir, config.warnings]).toEqual([null, []]);
  });

  it('still honours an absolute AWS_ECR_CACHE_DIR or XDG_CACHE_HOME', () => {
    expect(parseConfig({ AWS_ECR_CACHE_DIR: '/c' }, null).cacheDir).toBe('/c');
    expect(parseConfig({ XDG_CACHE_HOME: '/x' }, null).cacheDir).toBe(
      '/x/docker-credential-ecr-ts',
    );
  });

  it('cannot expand ~ in AWS_ECR_CACHE_DIR: warns, no cache', () => {
    const config = parseConfig({ AWS_ECR_CACHE_DIR: '~/.ecr' }, null);
    expect(config.cacheDir).toBeNull();
    expect(config.warnings).toEqual([
      'ignoring AWS_ECR_CACHE_DIR "~/.ecr": there is no home folder for ~; the token cache is off',
    ]);
  });
});
