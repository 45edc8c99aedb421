import { createSecretMask, MIN_FRAGMENT } from '../../../../src/commands/doctor/secret-mask';

describe('createSecretMask()', () => {
  it('hides each secret whole, the longest first, and ignores values too short to be one', () => {
    const mask = createSecretMask();
    mask.add('abc');
    mask.add('pass');
    mask.add('password-1');
    expect(mask.hide('abc pass password-1 passwords')).toBe('abc *** *** ***words');
  });

  it('in quoted text, hides any run of MIN_FRAGMENT characters found in a secret', () => {
    const mask = createSecretMask();
    const secret = 'QVdTOmV5SndZWGxzYjJGa0lqb2lZV0pq';
    mask.add(secret);
    const prefix = secret.slice(0, MIN_FRAGMENT);
    const middle = secret.slice(5, 20);
    const tooShort = secret.slice(0, MIN_FRAGMENT - 1);
    expect(mask.hideQuoted(`Basic ${prefix}... then ${middle}, ${tooShort}.`)).toBe(
      `Basic ***... then ***, ${tooShort}.`,
    );
    // Outside quotes ordinary text keeps its words: only whole secrets are hidden.
    expect(mask.hide(`Basic ${prefix}`)).toBe(`Basic ${prefix}`);
  });

  it('leaves no MIN_FRAGMENT characters of a secret anywhere in quoted text', () => {
    const mask = createSecretMask();
    const secret = 'k9Zq-2Lm_8Xw7Pv4Rt1Ys6Uo3Ni5Hb0Gc';
    mask.add(secret);
    // Overlapping and repeated pieces, cut at every length.
    const pieces = Array.from({ length: secret.length }, (_, i) => secret.slice(i, i + 11));
    const out = mask.hideQuoted(pieces.join('') + pieces.reverse().join(' '));
    for (let i = 0; i + MIN_FRAGMENT <= secret.length; i += 1) {
      expect(out).not.toContain(secret.slice(i, i + MIN_FRAGMENT));
    }
  });
});
