import { checkResponse, responseFailed } from '../../../../src/commands/doctor/check-response';
import { HelperError } from '../../../../src/errors';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('checkResponse()', () => {
  it('describes the credentials with the password hidden, and hands the password on to mask', () => {
    const result = checkResponse(
      JSON.stringify({
        kind: 'CredentialProviderResponse',
        apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
        cacheKeyType: 'Registry',
        cacheDuration: '5h12m40s',
        auth: { [HOST]: { username: 'AWS', password: 'secret-password' } },
      }),
    );
    expect(result).toEqual({
      finding: {
        ok: true,
        detail: `auth "${HOST}": user "AWS", password of 15 characters (hidden); cacheKeyType Registry, cacheDuration 5h12m40s`,
      },
      password: 'secret-password',
    });
  });

  it('says an empty answer means an anonymous pull', () => {
    const { finding } = checkResponse(
      JSON.stringify({ cacheKeyType: 'Registry', cacheDuration: '0s', auth: {} }),
    );
    expect(finding.detail).toBe(
      'no credentials (empty auth): the kubelet pulls anonymously; cacheKeyType Registry, cacheDuration 0s',
    );
  });
});

describe('responseFailed()', () => {
  it('is the line the kubelet would log', () => {
    expect(responseFailed(new HelperError('ACCESS_DENIED', 'access denied: x'))).toEqual({
      ok: false,
      detail: 'the provider would exit 1 and the kubelet log: access denied: x',
    });
  });
});
