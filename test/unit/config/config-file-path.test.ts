import { configFilePath } from '../../../src/config/config-file-path';

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
