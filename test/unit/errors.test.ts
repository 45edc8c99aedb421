import { oneLine } from '../../src/errors';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('oneLine()', () => {
  it('turns control characters of server text into visible escapes', () => {
    const text = oneLine('denied \u001b[31mred\u001b]0;TITLE\u0007 nul\u0000 csi\u009b del\u007f');
    expect(text).not.toMatch(CONTROL);
    expect(text).toBe(
      'denied \\u001b[31mred\\u001b]0;TITLE\\u0007 nul\\u0000 csi\\u009b del\\u007f',
    );
  });

  it('still collapses white space and keeps ordinary text', () => {
    expect(oneLine('  a\n\tb  ü €  ')).toBe('a b ü €');
  });
});
