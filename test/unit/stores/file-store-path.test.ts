import { fileStorePath } from '../../../src/stores/file-store-path';

describe('fileStorePath()', () => {
  it.each([
    [{ XDG_DATA_HOME: '/data' }, '/home/u', '/data/docker-credential-ecr-ts/credentials.json'],
    [{}, '/home/u', '/home/u/.local/share/docker-credential-ecr-ts/credentials.json'],
    [
      { XDG_DATA_HOME: 'relative' },
      '/home/u',
      '/home/u/.local/share/docker-credential-ecr-ts/credentials.json',
    ],
  ])('%j with home %j is %j', (env, home, path) => {
    expect(fileStorePath(env, home)).toBe(path);
  });

  it('refuses an empty or relative home rather than writing into the working folder', () => {
    expect(() => fileStorePath({}, '')).toThrow(/needs a home folder or an absolute XDG_DATA_HOME/);
    expect(() => fileStorePath({ XDG_DATA_HOME: 'x' }, 'rel')).toThrow(/needs a home folder/);
  });
});
