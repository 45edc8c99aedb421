import { classifyError, isNoCredentialsError } from '../../../src/aws/classify-error';

function sdkError(name: string, extra: { code?: string; status?: number } = {}): Error {
  return Object.assign(new Error('x'), {
    name,
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.status ? { $metadata: { httpStatusCode: extra.status } } : {}),
  });
}

describe('isNoCredentialsError()', () => {
  it('is true only for the SDK credential provider error', () => {
    expect(isNoCredentialsError(sdkError('CredentialsProviderError'))).toBe(true);
    expect(isNoCredentialsError(sdkError('AccessDeniedException'))).toBe(false);
    expect(isNoCredentialsError(null)).toBe(false);
  });
});

describe('classifyError()', () => {
  it.each([
    ['CredentialsProviderError', {}, 'no-credentials'],
    ['UnrecognizedClientException', { status: 403 }, 'bad-credentials'],
    ['SomethingForbidden', { status: 403 }, 'access-denied'],
    ['Whatever', { status: 429 }, 'throttled'],
    ['TimeoutError', { code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'untrusted-tls'],
    ['TimeoutError', { code: 'ECONNRESET' }, 'unreachable'],
    ['TimeoutError', {}, 'timeout'],
    ['Error', { code: 'ETIMEDOUT' }, 'timeout'],
    ['InternalFailure', { status: 503 }, 'server'],
    ['OddException', { status: 400 }, 'other'],
  ] as const)('%s %j is %s', (name, extra, kind) => {
    expect(classifyError(sdkError(name, extra)).kind).toBe(kind);
  });

  it('reads a thrown non-error as its text', () => {
    expect(classifyError('weird')).toMatchObject({ kind: 'other', name: '', message: 'weird' });
  });
});
