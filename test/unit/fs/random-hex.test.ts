import { randomHex } from '../../../src/fs/random-hex';

describe('randomHex()', () => {
  it('draws 64 random bits: 1000 draws are 1000 different 16-digit hex strings', () => {
    const draws = Array.from({ length: 1000 }, () => randomHex(8));
    for (const draw of draws) expect(draw).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(draws).size).toBe(1000);
  });

  it('gives two hex digits per byte asked for', () => {
    expect(randomHex(6)).toMatch(/^[0-9a-f]{12}$/);
    expect(randomHex(0)).toBe('');
  });
});
