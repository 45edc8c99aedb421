import { checkProviderConfig } from '../../../../src/commands/doctor/check-provider-config';

const FILE = '/etc/kubernetes/image-credential-provider-config.json';
const NAME = 'docker-credential-ecr-ts';
const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1';

/** A provider config holding `entry` (merged over a healthy entry of ours). */
function config(entry: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'kubelet.config.k8s.io/v1',
    kind: 'CredentialProviderConfig',
    providers: [
      { name: 'ecr-credential-provider', matchImages: ['*.dkr.ecr.*.amazonaws.com'] },
      {
        name: NAME,
        matchImages: ['public.ecr.aws', '*.dkr.ecr.*.amazonaws.com'],
        apiVersion: 'credentialprovider.kubelet.k8s.io/v1beta1',
        args: ['get-credentials'],
        ...entry,
      },
    ],
  });
}

const judge = (text: string | null, more: { image?: string; readError?: string } = {}) =>
  checkProviderConfig({ file: FILE, name: NAME, image: more.image ?? IMAGE, text, ...more });

describe('checkProviderConfig()', () => {
  it('passes an entry of ours that covers the image, naming the pattern and the apiVersion it sends', () => {
    expect(judge(config())).toEqual({
      finding: {
        ok: true,
        detail: `${FILE}: provider "${NAME}" covers the image (matchImages "*.dkr.ecr.*.amazonaws.com"), credentialprovider.kubelet.k8s.io/v1beta1`,
      },
      value: 'credentialprovider.kubelet.k8s.io/v1beta1',
    });
  });

  it('is skipped when the file does not exist, saying how to write it', () => {
    expect(judge(null)).toEqual({
      finding: {
        ok: null,
        detail: `${FILE} does not exist`,
        hint: `Run ${NAME} configure --kubelet, or name the kubelet's file with --config`,
      },
    });
  });

  it.each([
    ['a file it cannot read', { readError: 'EACCES' }, config(), `cannot read ${FILE} (EACCES)`],
    ['a file that is not JSON', {}, 'providers: []', `cannot read ${FILE} (not JSON)`],
    ['no entry of that name', {}, '{"providers":[]}', `${FILE} has no provider named "${NAME}"`],
    [
      'an entry run without get-credentials (the peer Go provider wired as ours)',
      {},
      config({ args: [] }),
      `provider "${NAME}" in ${FILE} is run without the argument get-credentials`,
    ],
    [
      'an image no pattern covers (the kubelet never asks, and pulls anonymously)',
      { image: 'ghcr.io/org/app' },
      config(),
      `provider "${NAME}" in ${FILE}: no matchImages entry covers "ghcr.io/org/app", so the kubelet never asks it (and pulls anonymously)`,
    ],
  ])('fails %s', (_name, more, text, detail) => {
    const { finding } = judge(text, more);
    expect(finding.ok).toBe(false);
    expect(finding.detail).toBe(detail);
  });

  it('answers the newest apiVersion for an entry whose version it does not know', () => {
    expect(judge(config({ apiVersion: 'credentialprovider.kubelet.k8s.io/v9' })).value).toBe(
      'credentialprovider.kubelet.k8s.io/v1',
    );
  });
});
