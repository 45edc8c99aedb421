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
    ['~other/x', '~other/x'],
  ])('expands AWS_ECR_CACHE_DIR=%s as the reference helper does', (value, expected) => {
    expect(parseConfig({ AWS_ECR_CACHE_DIR: value }, '/home/u').cacheDir).toBe(expected);
  });
});
