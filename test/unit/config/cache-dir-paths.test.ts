import { parseConfig } from '../../../src/config/parse-config';

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
