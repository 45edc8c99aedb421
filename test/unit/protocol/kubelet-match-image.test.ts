import fc from 'fast-check';
import { matchImageCovers } from '../../../src/protocol/kubelet-match-image';
import { urlsMatchStr } from '../../support/kubelet';

describe('matchImageCovers()', () => {
  it.each([
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com/app', true],
    ['*.dkr.ecr.*.amazonaws.com', '123456789012.dkr.ecr.us-east-1.amazonaws.com.cn/app', false],
    ['*.io', 'a.k8s.io', false],
    ['app*.k8s.io', 'app.k8s.io/x', true],
    ['registry.io:8080/path', 'registry.io:8080/path/app', true],
    ['registry.io', 'registry.io:5000/app', false],
    ['mirror.example.com', 'mirror.example.com/library/nginx', true],
    ['[', 'a', false],
  ])('%j covers %j: %s', (pattern, image, expected) => {
    expect(matchImageCovers(pattern, image)).toBe(expected);
  });

  it('agrees with the kubelet emulation on generated patterns and images', () => {
    const label = fc.stringMatching(/^[a-z0-9*?-]{0,6}$/);
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
    const port = fc.option(fc.constantFrom('443', '5000'), { nil: undefined });
    const path = fc.constantFrom('', '/a', '/a/b', '/b');
    const image = fc
      .tuple(host, port, path)
      .map(([h, p, rest]) => `${h.replace(/[*?]/g, 'x')}${p ? `:${p}` : ''}${rest}`);
    const pattern = fc
      .tuple(host, port, path)
      .map(([h, p, rest]) => `${h}${p ? `:${p}` : ''}${rest}`);
    fc.assert(
      fc.property(pattern, image, (glob, target) => {
        expect(matchImageCovers(glob, target)).toBe(urlsMatchStr(glob, target));
      }),
      { numRuns: 2000 },
    );
  });
});
