import { DEFAULT_TIMEOUT_MS, loadConfig } from '../../../src/config/load-config';
import { createLogger, redact } from '../../../src/log';
import { VERSION } from '../../../src/version';
import packageJson from '../../../package.json';

describe('loadConfig()', () => {
  it('defaults: 10 s bound, cache under ~/.cache, warnings only', () => {
    expect(loadConfig({}, '/home/u')).toEqual({
      timeoutMs: DEFAULT_TIMEOUT_MS,
      cacheDir: '/home/u/.cache/docker-credential-ecr-ts',
      logLevel: 'warn',
      logFile: null,
      ignoreCredsStorage: false,
    });
  });
  it('honours XDG_CACHE_HOME, AWS_ECR_CACHE_DIR and AWS_ECR_DISABLE_CACHE in that order', () => {
    expect(loadConfig({ XDG_CACHE_HOME: '/x' }, '/h').cacheDir).toBe('/x/docker-credential-ecr-ts');
    expect(loadConfig({ XDG_CACHE_HOME: '/x', AWS_ECR_CACHE_DIR: '/c' }, '/h').cacheDir).toBe('/c');
    expect(loadConfig({ AWS_ECR_CACHE_DIR: '/c', AWS_ECR_DISABLE_CACHE: '1' }, '/h').cacheDir).toBe(
      null,
    );
  });
  it('reads ECR_TS_TIMEOUT in seconds and rejects nonsense', () => {
    expect(loadConfig({ ECR_TS_TIMEOUT: '2.5' }, '/h').timeoutMs).toBe(2500);
    expect(() => loadConfig({ ECR_TS_TIMEOUT: 'soon' }, '/h')).toThrow(
      /invalid ECR_TS_TIMEOUT "soon"/,
    );
    expect(() => loadConfig({ ECR_TS_TIMEOUT: '0' }, '/h')).toThrow(/ECR_TS_TIMEOUT/);
  });
  it('reads ECR_TS_LOG_LEVEL and AWS_ECR_IGNORE_CREDS_STORAGE', () => {
    const config = loadConfig(
      { ECR_TS_LOG_LEVEL: 'DEBUG', AWS_ECR_IGNORE_CREDS_STORAGE: 'true' },
      '/h',
    );
    expect(config).toMatchObject({ logLevel: 'debug', ignoreCredsStorage: true });
    expect(() => loadConfig({ ECR_TS_LOG_LEVEL: 'loud' }, '/h')).toThrow(/ECR_TS_LOG_LEVEL/);
  });
});

describe('logging', () => {
  it('writes only at or above the level, prefixed with the product name', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
    logger.debug('hidden');
    logger.warn('shown');
    expect(lines).toEqual(['docker-credential-ecr-ts: warn: shown\n']);
  });
  it('redacts registered secrets and AWS key shapes', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    logger.addSecret('hunter2-password');
    logger.debug('token hunter2-password key AKIAABCDEFGHIJKLMNOP {"SecretAccessKey":"abc/def"}');
    expect(lines.join('')).not.toMatch(/hunter2-password|ABCDEFGHIJKLMNOP|abc\/def/);
  });
  it('redact() leaves ordinary text alone', () => {
    expect(redact('pulling public.ecr.aws/amazonlinux', [])).toBe(
      'pulling public.ecr.aws/amazonlinux',
    );
    expect(redact('GetAuthorizationToken: ECONNRESET', [])).toBe(
      'GetAuthorizationToken: ECONNRESET',
    );
  });
  it.each([
    ['token: abc123', 'token: ***'],
    ['{"Token":"abc/123=="}', '{"Token":"***"}'],
    ['secret=hunter2', 'secret=***'],
    ['Authorization: Bearer xyz', 'Authorization: ***'],
  ])('redact() masks the value of %j', (input, output) => {
    expect(redact(input, [])).toBe(output);
  });
});

describe('version', () => {
  it('matches package.json', () => {
    expect(VERSION).toBe(packageJson.version);
  });
});
