import { decodeServerUrl, decodeStoreInput } from '../../../src/protocol/decode';

describe('decodeServerUrl()', () => {
  it('trims white space and newlines', () => {
    expect(decodeServerUrl('\t public.ecr.aws \r\n')).toBe('public.ecr.aws');
  });
  it.each(['', ' ', '\n'])('rejects empty input %j with the exact text', (input) => {
    expect(() => decodeServerUrl(input)).toThrow('no credentials server URL');
  });
});

describe('decodeStoreInput()', () => {
  it('reads ServerURL, Username and Secret', () => {
    expect(decodeStoreInput('{"ServerURL":" https://x ","Username":"AWS","Secret":"pw"}')).toEqual({
      serverUrl: 'https://x',
      username: 'AWS',
      secret: 'pw',
    });
  });
  it.each([
    ['[]', /JSON object/],
    ['null', /JSON object/],
    ['{"ServerURL":1,"Username":"a"}', /"ServerURL" must be a string/],
    ['{"Username":"a"}', /^no credentials server URL$/],
    ['{"ServerURL":"x"}', /^no credentials username$/],
    ['not json', /expects JSON/],
  ])('rejects %s', (input, message) => {
    expect(() => decodeStoreInput(input)).toThrow(message);
  });
});
