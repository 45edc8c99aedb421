import { Readable } from 'node:stream';
import { decodeServerUrl, decodeStoreInput } from '../../../src/protocol/decode';
import { encodeCredentials, encodeList } from '../../../src/protocol/encode';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFd, readInput } from '../../../src/protocol/read-input';
import { tempDir } from '../../support/env';

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

describe('readFd()', () => {
  it('reads a descriptor to EOF', async () => {
    const file = join(tempDir(), 'input');
    writeFileSync(file, `${'x'.repeat(40_000)}\n`);
    const fd = openSync(file, 'r');
    try {
      expect(await readFd(fd)).toBe(`${'x'.repeat(40_000)}\n`);
    } finally {
      closeSync(fd);
    }
  });
  it('refuses more than 64 KiB', async () => {
    const file = join(tempDir(), 'input');
    writeFileSync(file, Buffer.alloc(70 * 1024, 65));
    const fd = openSync(file, 'r');
    try {
      await expect(readFd(fd)).rejects.toThrow(/larger than/);
    } finally {
      closeSync(fd);
    }
  });
  it('reads a closed descriptor as empty input', async () => {
    const fd = openSync(join(tempDir(), 'gone'), 'w');
    closeSync(fd);
    expect(await readFd(fd)).toBe('');
  });
});
