import {
  decodeKubeletRequest,
  looksLikeKubeletRequest,
  registryOfKubeletImage,
} from '../../../src/protocol/kubelet-request';
import { isHelperError } from '../../../src/errors';
import { decodeServerUrl } from '../../../src/protocol/decode';

const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const request = (fields: Record<string, unknown>) =>
  JSON.stringify({ apiVersion: V1, kind: 'CredentialProviderRequest', ...fields });

describe('decodeKubeletRequest()', () => {
  it.each([
    'credentialprovider.kubelet.k8s.io/v1',
    'credentialprovider.kubelet.k8s.io/v1beta1',
    'credentialprovider.kubelet.k8s.io/v1alpha1',
  ])('reads a %s request', (apiVersion) => {
    const text = JSON.stringify({ apiVersion, kind: 'CredentialProviderRequest', image: 'a.io/b' });
    expect(decodeKubeletRequest(`${text}\n`)).toEqual({
      apiVersion,
      image: 'a.io/b',
      serviceAccountAnnotations: {},
    });
  });

  it('reads the service-account token and annotations, and ignores fields a newer kubelet adds', () => {
    const decoded = decodeKubeletRequest(
      request({
        image: 'a.io/b',
        serviceAccountToken: 'eyJ.x.y',
        serviceAccountAnnotations: { 'eks.amazonaws.com/ecr-role-arn': 'arn:aws:iam::1:role/r' },
        somethingNew: { a: 1 },
      }),
    );
    expect(decoded.serviceAccountToken).toBe('eyJ.x.y');
    expect(decoded.serviceAccountAnnotations).toEqual({
      'eks.amazonaws.com/ecr-role-arn': 'arn:aws:iam::1:role/r',
    });
  });

  it.each([
    ['', /no CredentialProviderRequest on stdin/],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      /not JSON.*docker sends a server URL to `get`/,
    ],
    ['{"apiVersion":', /not JSON/],
    ['[]', /not a JSON object/],
    [
      request({ apiVersion: 'credentialprovider.kubelet.k8s.io/v2', image: 'a' }),
      /unknown apiVersion "credentialprovider.kubelet.k8s.io\/v2"/,
    ],
    [request({ apiVersion: undefined, image: 'a' }), /unknown apiVersion nothing/],
    [
      request({ kind: 'CredentialProviderResponse', image: 'a' }),
      /expected kind "CredentialProviderRequest".*"CredentialProviderResponse"/,
    ],
    [request({}), /has no image/],
    [request({ image: ' ' }), /has no image/],
    [request({ image: 'a', serviceAccountAnnotations: ['x'] }), /serviceAccountAnnotations/],
    [
      request({ image: 'a', serviceAccountAnnotations: { k: 1 } }),
      /annotation "k" is not a string/,
    ],
  ])('refuses %j with one line naming what was wrong', (input, message) => {
    let failure: unknown;
    try {
      decodeKubeletRequest(input);
    } catch (error) {
      failure = error;
    }
    expect(isHelperError(failure, 'BAD_INPUT')).toBe(true);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain('\n');
  });

  it('never quotes a service-account token that is not a string', () => {
    const failure = (() => {
      try {
        decodeKubeletRequest(
          request({ image: 'a', serviceAccountToken: { secret: 'SENTINEL-TOKEN' } }),
        );
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(failure?.message).toMatch(/serviceAccountToken/);
    expect(failure?.message).not.toContain('SENTINEL');
  });
});

describe('a kubelet request fed to `get`', () => {
  it('is recognised, and decodeServerUrl() says to use get-credentials', () => {
    const text = request({ image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app' });
    expect(looksLikeKubeletRequest(text)).toBe(true);
    expect(looksLikeKubeletRequest('123456789012.dkr.ecr.us-east-1.amazonaws.com')).toBe(false);
    expect(() => decodeServerUrl(text)).toThrow(/get-credentials/);
  });
});

describe('registryOfKubeletImage()', () => {
  it.each([
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    ],
    ['registry.example.com:5000/app', 'registry.example.com:5000'],
    ['docker.io/library/nginx', 'docker.io'],
    ['public.ecr.aws', 'public.ecr.aws'],
  ])('%s -> %s (what the kubelet caches a Registry answer under)', (image, registry) => {
    expect(registryOfKubeletImage(image)).toBe(registry);
  });
});
