import { decodeToken } from '../../../src/aws/decode-token';
import { HelperError } from '../../../src/errors';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('decodeToken()', () => {
  it('splits user and password at the first colon (passwords may contain colons)', () => {
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    expect(
      decodeToken({
        authorizationToken: b64('AWS:pa:ss'),
        expiresAt,
      }),
    ).toEqual({
      username: 'AWS',
      password: 'pa:ss',
      expiresAt: expiresAt.getTime(),
    });
  });

  it('assumes the 12 h ECR lifetime when the answer has no expiry', () => {
    expect(decodeToken({ authorizationToken: b64('AWS:x') }, 1000).expiresAt).toBe(
      1000 + 12 * 3600_000,
    );
  });

  it.each([
    undefined,
    {},
    { authorizationToken: b64('no-colon') },
    { authorizationToken: b64(':x') },
  ])('rejects %j with an AWS_API error that shows no token', (answer) => {
    let thrown: unknown;
    try {
      decodeToken(answer);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HelperError);
    expect((thrown as HelperError).code).toBe('AWS_API');
    expect((thrown as HelperError).message).not.toContain('no-colon');
  });
});
