import { Readable } from 'node:stream';
import { decodeServerUrl, decodeStoreInput } from '../../../src/protocol/decode';
import { encodeCredentials, encodeList } from '../../../src/protocol/encode';
import { readInput } from '../../../src/protocol/read-input';

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

describe('encode', () => {
  it('encodes credentials in the field order docker-credential-helpers uses', () => {
    expect(encodeCredentials({ serverUrl: 'h', username: 'AWS', secret: 's"q' })).toBe(
      '{"ServerURL":"h","Username":"AWS","Secret":"s\\"q"}\n',
    );
  });
  it('encodes an empty list as {}', () => {
    expect(encodeList({})).toBe('{}\n');
  });
});

describe('readInput()', () => {
  it('concatenates chunks', async () => {
    expect(await readInput(Readable.from([Buffer.from('pub'), 'lic.ecr.aws']))).toBe(
      'public.ecr.aws',
    );
  });
  it('refuses more than 64 KiB', async () => {
    await expect(readInput(Readable.from([Buffer.alloc(70 * 1024)]))).rejects.toThrow(
      /larger than/,
    );
  });
});
