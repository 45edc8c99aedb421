import { configFilePath } from '../../../src/config/config-file-path';
import { isHelperError } from '../../../src/errors';

describe('configFilePath()', () => {
  it('ECR_TS_CONFIG, else XDG_CONFIG_HOME, else ~/.config (a relative XDG value is ignored)', () => {
    expect(configFilePath({ ECR_TS_CONFIG: '/etc/ecr.json', XDG_CONFIG_HOME: '/x' }, '/h')).toEqual(
      { path: '/etc/ecr.json', explicit: true },
    );
    expect(configFilePath({ XDG_CONFIG_HOME: '/x' }, '/h').path).toBe(
      '/x/docker-credential-ecr-ts/config.json',
    );
    expect(configFilePath({ XDG_CONFIG_HOME: 'rel' }, '/h').path).toBe(
      '/h/.config/docker-credential-ecr-ts/config.json',
    );
    expect(configFilePath({}, null).path).toBeNull();
  });
});

describe('configFilePath() with ECR_TS_CONFIG', () => {
  const errorOf = (value: string, home: string | null = '/h'): string => {
    try {
      configFilePath({ ECR_TS_CONFIG: value }, home);
    } catch (error) {
      if (isHelperError(error, 'CONFIG')) return error.message;
      throw error;
    }
    throw new Error('expected a CONFIG error');
  };

  it('expands ~ to the home folder, as AWS_ECR_CACHE_DIR does', () => {
    expect(configFilePath({ ECR_TS_CONFIG: '~/ecr/config.json' }, '/h')).toEqual({
      path: '/h/ecr/config.json',
      explicit: true,
    });
  });

  it.each(['config.json', './config.json', '../x/config.json', '~user/config.json'])(
    'refuses the relative %j: it would be read from whatever folder docker runs in',
    (value) => {
      expect(errorOf(value)).toBe(
        `invalid ECR_TS_CONFIG ${JSON.stringify(value)}: not an absolute path (a relative one would be read from the folder docker runs in); give the full path, or one starting with ~/`,
      );
    },
  );

  it('refuses ~ without a home folder', () => {
    expect(errorOf('~/config.json', null)).toBe(
      'invalid ECR_TS_CONFIG "~/config.json": there is no home folder for ~; give the full path',
    );
  });
});
