import {
  DEFAULT_KUBELET_TIMEOUT_MS,
  isKubeletInvocation,
  KUBELET_CACHE_DIR,
  KUBELET_CONFIG_FILE,
  kubeletCacheDir,
  kubeletConfigFilePath,
  parseKubeletSettings,
  parseKubeletTimeout,
} from '../../../src/config/kubelet-settings';
import { loadConfig } from '../../../src/config/load-config';

describe('isKubeletInvocation()', () => {
  it.each([
    [['get-credentials'], true],
    [['configure', '--kubelet'], true],
    [['doctor', 'a.io/b', '--kubelet'], true],
    [['get'], false],
    [['configure', '--store'], false],
    [['get', '--kubelet'], false],
    [[], false],
  ])('%j: %s', (args, expected) => {
    expect(isKubeletInvocation(args)).toBe(expected);
  });
});

describe('parseKubeletSettings()', () => {
  it('defaults to the annotation the peer reads, and no node fallback', () => {
    expect(parseKubeletSettings({})).toEqual({
      roleAnnotation: 'eks.amazonaws.com/ecr-role-arn',
      nodeIdentityFallback: false,
    });
  });
  it('takes another annotation key and the fallback', () => {
    expect(
      parseKubeletSettings({
        ECR_TS_KUBELET_ROLE_ANNOTATION: 'example.com/pull-role',
        ECR_TS_KUBELET_NODE_FALLBACK: 'true',
      }),
    ).toEqual({ roleAnnotation: 'example.com/pull-role', nodeIdentityFallback: true });
  });
  it.each(['has space', 'Example.com/x', '/x', 'a/', 'x'.repeat(64)])(
    'refuses the annotation key %j',
    (key) => {
      expect(() => parseKubeletSettings({ ECR_TS_KUBELET_ROLE_ANNOTATION: key })).toThrow(
        /ECR_TS_KUBELET_ROLE_ANNOTATION/,
      );
    },
  );
});

describe('parseKubeletTimeout()', () => {
  it('defaults to 45 s and takes seconds up to 55', () => {
    expect(parseKubeletTimeout({})).toBe(DEFAULT_KUBELET_TIMEOUT_MS);
    expect(DEFAULT_KUBELET_TIMEOUT_MS).toBe(45_000);
    expect(parseKubeletTimeout({ ECR_TS_TIMEOUT: '20' })).toBe(20_000);
    expect(parseKubeletTimeout({ ECR_TS_TIMEOUT: '55' })).toBe(55_000);
  });
  it.each(['0', '56', '60', 'abc', '-1'])('refuses %j: the kubelet kills at 60 s', (value) => {
    expect(() => parseKubeletTimeout({ ECR_TS_TIMEOUT: value })).toThrow(/at most 55/);
  });
});

describe('the kubelet defaults for the cache folder and the config file', () => {
  it('root caches in /var/cache unless the cache variables say otherwise', () => {
    expect(kubeletCacheDir({}, 0, '/root/.cache/x')).toBe(KUBELET_CACHE_DIR);
    expect(KUBELET_CACHE_DIR).toBe('/var/cache/docker-credential-ecr-ts');
    expect(kubeletCacheDir({ AWS_ECR_CACHE_DIR: '/c' }, 0, '/c')).toBe('/c');
    expect(kubeletCacheDir({ AWS_ECR_DISABLE_CACHE: '1' }, 0, null)).toBeNull();
    expect(kubeletCacheDir({}, 1000, '/home/u/.cache/x')).toBe('/home/u/.cache/x');
    // Our own names count as the reference helper's do (and win over them).
    expect(kubeletCacheDir({ ECR_TS_CACHE_DIR: '/ours' }, 0, '/ours')).toBe('/ours');
    expect(kubeletCacheDir({ ECR_TS_DISABLE_CACHE: 'true' }, 0, null)).toBeNull();
    // ECR_TS_DISABLE_CACHE=false keeps the cache on, in the node's own folder.
    expect(
      kubeletCacheDir({ ECR_TS_DISABLE_CACHE: 'false', AWS_ECR_DISABLE_CACHE: '1' }, 0, null),
    ).toBe(KUBELET_CACHE_DIR);
  });
  it('reads ECR_TS_CONFIG (absolute only), else the system file', () => {
    expect(kubeletConfigFilePath({})).toEqual({ path: KUBELET_CONFIG_FILE, explicit: false });
    expect(KUBELET_CONFIG_FILE).toBe('/etc/docker-credential-ecr-ts/config.json');
    expect(kubeletConfigFilePath({ ECR_TS_CONFIG: '/e/c.json' })).toEqual({
      path: '/e/c.json',
      explicit: true,
    });
    expect(() => kubeletConfigFilePath({ ECR_TS_CONFIG: 'c.json' })).toThrow(/absolute/);
  });
  it('loadConfig() for the kubelet, with no HOME: its bound, cache folder and settings', () => {
    const config = loadConfig(
      { ECR_TS_CONFIG: '/nonexistent-ecr-ts/c.json' },
      { routes: false, kubelet: { euid: 0 } },
    );
    expect(config.timeoutMs).toBe(45_000);
    expect(config.cacheDir).toBe(KUBELET_CACHE_DIR);
    expect(config.kubelet?.roleAnnotation).toBe('eks.amazonaws.com/ecr-role-arn');
  });
});
