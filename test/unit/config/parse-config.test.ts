import { parseConfig } from '../../../src/config/parse-config';

describe('parseConfig()', () => {
  it('defaults: 10 s bound, cache under ~/.cache, warnings only', () => {
    expect(parseConfig({}, '/home/u')).toEqual({
      home: '/home/u',
      timeoutMs: 10_000,
      cacheDir: '/home/u/.cache/docker-credential-ecr-ts',
      logLevel: 'warn',
      logFile: null,
      ignoreCredsStorage: false,
      warnings: [],
      routes: { file: null, fallback: { kind: 'file' }, entries: [] },
    });
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
