import fc from 'fast-check';
import { parseConfigFile } from '../../../src/config/parse-config-file';
import { extractHostPort } from '../../../src/registry/parse-registry';
import { matchRoute } from '../../../src/routing/match-route';

/** The entries of a config whose keys each route to a helper named after their position. */
function entriesOf(keys: readonly string[]) {
  const registries = Object.fromEntries(keys.map((key, index) => [key, { helper: `h${index}` }]));
  return parseConfigFile(JSON.stringify({ registries }), 'config.json').entries();
}

function winner(keys: readonly string[], serverUrl: string): string | undefined {
  return matchRoute(extractHostPort(serverUrl), entriesOf(keys))?.key;
}

describe('matchRoute()', () => {
  it.each([
    // exact beats wildcard, whatever the order
    [['*.example.com', 'a.example.com'], 'a.example.com', 'a.example.com'],
    [['a.example.com', '*.example.com'], 'a.example.com', 'a.example.com'],
    // then the most literal characters
    [['*.example.com', 'reg-*.example.com'], 'reg-1.example.com', 'reg-*.example.com'],
    [['*.*.com', '*.example.com'], 'a.example.com', '*.example.com'],
    // then the earlier key
    [['a*.example.com', '*a.example.com'], 'aa.example.com', 'a*.example.com'],
    [['*a.example.com', 'a*.example.com'], 'aa.example.com', '*a.example.com'],
    // `*` never crosses a dot, and needs at least one character
    [['*.example.com'], 'a.b.example.com', undefined],
    [['*.example.com'], 'example.com', undefined],
    [['*.example.com'], '.example.com', undefined],
    [['reg*.example.com'], 'reg.example.com', undefined],
    // anchored: no suffix or prefix matches
    [['example.com'], 'example.com.evil.test', undefined],
    [['example.com'], 'notexample.com', undefined],
    [['*.example.com'], 'a.example.com.evil.test', undefined],
    [
      ['123456789012.dkr.ecr.*.amazonaws.com'],
      '123456789012.dkr.ecr.us-west-2.amazonaws.com.fake.example.com',
      undefined,
    ],
    [
      ['123456789012.dkr.ecr.*.amazonaws.com'],
      'https://evil.test/123456789012.dkr.ecr.us-east-1.amazonaws.com',
      undefined,
    ],
    // case, scheme, path, user info and a trailing dot are normalised as for ECR hosts
    [['a.example.com'], 'HTTPS://User@A.Example.COM./v2/x', 'a.example.com'],
    // ports: a key with a port needs that port; a key without one covers every port
    [['a.example.com:5000'], 'a.example.com:5000', 'a.example.com:5000'],
    [['a.example.com:5000'], 'a.example.com', undefined],
    [['a.example.com:5000'], 'a.example.com:5001', undefined],
    [['a.example.com'], 'a.example.com:5000', 'a.example.com'],
    [['a.example.com', 'a.example.com:5000'], 'a.example.com:5000', 'a.example.com:5000'],
    [['a.example.com:5000', 'a.example.com'], 'a.example.com', 'a.example.com'],
    // 443 is HTTPS's own port: `host:443` is `host`, both ways (nerdctl asks for `host:443` first)
    [['*.example.com:443', 'a.example.com'], 'a.example.com:443', 'a.example.com'],
    [['a.example.com'], 'https://a.example.com:443/v2/', 'a.example.com'],
    [['a.example.com:443'], 'a.example.com', 'a.example.com:443'],
    [['a.example.com:443'], 'http://a.example.com', 'a.example.com:443'],
    [['a.example.com:443'], 'a.example.com:5000', undefined],
    [['a.example.com:5000', 'a.example.com:443'], 'a.example.com:443', 'a.example.com:443'],
    [['*.example.com', 'a.example.com:443'], 'https://a.example.com', 'a.example.com:443'],
    [['a.example.com:5000'], 'https://a.example.com:05000/v2/', 'a.example.com:5000'],
    // non-ASCII look-alikes never match (the Kelvin sign lower-cases to k)
    [['k.example.com'], '\u212a.example.com', undefined],
    [['*.example.com'], 'b\u00fccher.example.com', undefined],
  ])('%j with %s -> %s', (keys, serverUrl, expected) => {
    expect(winner(keys, serverUrl)).toBe(expected);
  });

  const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);

  it('an exact key wins over any set of wildcard keys, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 2, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.nat(),
        (labels, wildcardAt, position) => {
          const exact = labels.join('.');
          // Wildcard keys that also cover the host: some labels replaced by `*`.
          const wildcards = wildcardAt.map((index) =>
            labels.map((part, i) => (i === index % labels.length ? '*' : part)).join('.'),
          );
          const keys = [...new Set(wildcards)];
          keys.splice(position % (keys.length + 1), 0, exact);
          return winner(keys, exact) === exact;
        },
      ),
    );
  });

  it('the winner never depends on anything but precedence: more literal characters win', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 2, maxLength: 4 }), fc.nat(), (labels, index) => {
        const target = labels.join('.');
        const star = (i: number) =>
          labels.map((part, j) => (j === i % labels.length ? '*' : part)).join('.');
        const a = star(index);
        const b = labels.map(() => '*').join('.');
        if (a === b) return true;
        return winner([b, a], target) === a && winner([a, b], target) === a;
      }),
    );
  });
});
