import { homeForSdk, resolveHome } from '../../../src/config/resolve-home';

const passwd = (): string => '/home/from-passwd';
const noPasswd = (): string => {
  throw new Error('uv_os_get_passwd returned ENOENT');
};

describe('resolveHome()', () => {
  it('is HOME when HOME is an absolute path, however long', () => {
    expect(resolveHome({ HOME: '/home/u' }, noPasswd)).toBe('/home/u');
    const long = `/${'h'.repeat(4199)}`;
    expect(resolveHome({ HOME: long }, noPasswd)).toBe(long);
  });

  it.each([[undefined], [''], ['relative/home'], ['.']])(
    'falls back to the passwd entry for HOME=%j (never the working folder)',
    (home) => {
      expect(resolveHome({ HOME: home }, passwd)).toBe('/home/from-passwd');
    },
  );

  it('is null, not a failure, with no usable HOME and no passwd entry', () => {
    expect(resolveHome({}, noPasswd)).toBeNull();
    expect(resolveHome({ HOME: '' }, () => '')).toBeNull();
  });
});

describe('homeForSdk()', () => {
  it('changes nothing when HOME already is the home folder', () => {
    expect(homeForSdk({ HOME: '/home/u' }, '/home/u')).toBeUndefined();
  });

  it('gives the SDK the resolved home for an empty, relative or missing HOME', () => {
    expect(homeForSdk({ HOME: 'rel' }, '/home/u')).toBe('/home/u');
    expect(homeForSdk({}, '/home/u')).toBe('/home/u');
  });

  it('without a home, gives it one where nothing can be read or created, not ./.aws', () => {
    expect(homeForSdk({ HOME: '' }, null)).toBe('/dev/null');
    expect(homeForSdk({}, null)).toBe('/dev/null');
  });
});
