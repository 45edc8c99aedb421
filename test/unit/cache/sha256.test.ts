import { createHash } from 'node:crypto';
import { sha256Hex } from '../../../src/cache/sha256';

describe('sha256Hex (the npm bin on Node, without node:crypto)', () => {
  it('gives the standard digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('hashes UTF-8 and long texts as node:crypto does (cache names shared with the executable)', () => {
    for (const text of ['ünïcödé ☃ 𝄞', 'x'.repeat(1000), 'a\nb\0c', `${'é'.repeat(70)}|ecr`]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });
});
