import { encodeCredentials, encodeList } from '../../../src/protocol/encode';

describe('encodeCredentials()', () => {
  it('encodes credentials in the field order docker-credential-helpers uses', () => {
    expect(encodeCredentials({ serverUrl: 'h', username: 'AWS', secret: 's"q' })).toBe(
      '{"ServerURL":"h","Username":"AWS","Secret":"s\\"q"}\n',
    );
  });
});

describe('encodeList()', () => {
  it('encodes an empty list as {}', () => {
    expect(encodeList({})).toBe('{}\n');
  });
});
