import { planKubeletConfig, type WantedProvider } from '../../../src/commands/plan-kubelet-config';
import { isHelperError } from '../../../src/errors';
import { matchImageCovers } from '../../../src/protocol/kubelet-match-image';
import { ECR_MATCH_IMAGES } from '../../../src/registry/ecr-match-images';
import { decodeProviderConfig } from '../../support/kubelet';

const FILE = '/etc/kubernetes/image-credential-provider-config.json';
const wanted: WantedProvider = {
  name: 'docker-credential-ecr-ts',
  matchImages: [...ECR_MATCH_IMAGES, 'mirror.example.com'],
  env: [{ name: 'AWS_ECR_CACHE_DIR', value: '/var/cache/docker-credential-ecr-ts' }],
};
const plan = (text: string, want = wanted) => planKubeletConfig(text, want, FILE, matchImageCovers);

/** The Go provider as EKS writes it (the peer we may sit beside). */
const EKS = `{
  "apiVersion": "kubelet.config.k8s.io/v1",
  "kind": "CredentialProviderConfig",
  "providers": [
    {
      "name": "ecr-credential-provider",
      "matchImages": [
        "*.dkr.ecr.*.amazonaws.com",
        "*.dkr.ecr.*.amazonaws.com.cn"
      ],
      "defaultCacheDuration": "12h",
      "apiVersion": "credentialprovider.kubelet.k8s.io/v1"
    }
  ]
}
`;

describe('planKubeletConfig()', () => {
  it('writes a new file the kubelet decodes and validates', () => {
    const result = plan('');
    const [provider] = decodeProviderConfig(result.text ?? '');
    expect(provider).toEqual({
      name: 'docker-credential-ecr-ts',
      matchImages: wanted.matchImages,
      defaultCacheDurationMs: 0,
      apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
      args: ['get-credentials'],
      env: wanted.env,
    });
  });

  it('adds itself first to an existing file, leaves the other provider byte for byte, names it', () => {
    const result = plan(EKS);
    const text = result.text ?? '';
    const providers = decodeProviderConfig(text);
    expect(providers.map((p) => p.name)).toEqual([
      'docker-credential-ecr-ts',
      'ecr-credential-provider',
    ]);
    const eksEntry = EKS.slice(EKS.indexOf('    {'), EKS.lastIndexOf('    }') + 5);
    expect(text).toContain(eksEntry);
    expect(result.others).toEqual(['ecr-credential-provider']);
    expect(result.changes).toEqual(['add provider "docker-credential-ecr-ts" (first of 2)']);
  });

  it('changes nothing when the file already says it all', () => {
    const once = plan(EKS).text ?? '';
    expect(plan(once)).toMatchObject({ text: null, changes: [] });
  });

  it('updates its own entry in place, keeping what its owner added', () => {
    const text = JSON.stringify(
      {
        apiVersion: 'kubelet.config.k8s.io/v1',
        kind: 'CredentialProviderConfig',
        providers: [
          {
            name: 'docker-credential-ecr-ts',
            matchImages: ['extra.example.com'],
            defaultCacheDuration: '1h',
            apiVersion: 'credentialprovider.kubelet.k8s.io/v1beta1',
            env: [
              { name: 'AWS_ECR_CACHE_DIR', value: '/old' },
              { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
            ],
          },
        ],
      },
      null,
      2,
    );
    const result = plan(text);
    const [provider] = decodeProviderConfig(result.text ?? '');
    expect(provider?.matchImages).toEqual([...wanted.matchImages, 'extra.example.com']);
    expect(provider?.apiVersion).toBe('credentialprovider.kubelet.k8s.io/v1beta1');
    expect(provider?.defaultCacheDurationMs).toBe(3600_000);
    expect(provider?.args).toEqual(['get-credentials']);
    expect(provider?.env).toEqual([
      { name: 'AWS_ECR_CACHE_DIR', value: '/var/cache/docker-credential-ecr-ts' },
      { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
    ]);
    expect(result.changes).toEqual(
      expect.arrayContaining([
        'provider "docker-credential-ecr-ts": args = ["get-credentials"]',
        'provider "docker-credential-ecr-ts": env AWS_ECR_CACHE_DIR = "/var/cache/docker-credential-ecr-ts"',
      ]),
    );
  });

  it.each([
    ['YAML', 'apiVersion: kubelet.config.k8s.io/v1\nkind: CredentialProviderConfig\n', /YAML/],
    ['JSON with comments', `// mine\n${EKS}`, /not JSON/],
    [
      'another kind',
      '{"kind":"KubeletConfiguration","apiVersion":"kubelet.config.k8s.io/v1beta1"}',
      /kind "KubeletConfiguration"/,
    ],
    [
      'an unknown config version',
      EKS.replace('kubelet.config.k8s.io/v1"', 'kubelet.config.k8s.io/v9"'),
      /apiVersion/,
    ],
    [
      'providers that are not a list',
      EKS.replace(/"providers": \[[\s\S]*\]/, '"providers": {}'),
      /not a list/,
    ],
  ])('refuses %s, leaving the file as it is', (_, text, message) => {
    let failure: unknown;
    try {
      plan(text);
    } catch (error) {
      failure = error;
    }
    expect(isHelperError(failure, 'CONFIG')).toBe(true);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).toMatch(/left it untouched/);
  });
});
