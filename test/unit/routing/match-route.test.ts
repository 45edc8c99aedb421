import fc from 'fast-check';
import { parseConfigFile } from '../../../src/config/parse-config-file';
import { extractHostPort } from '../../../src/registry/parse-registry';
import {
  compileHostPattern,
  keysCovering,
  patternMatches,
} from '../../../src/routing/host-pattern';
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
    [['*.example.com:443', 'a.example.com'], 'a.example.com:443', '*.example.com:443'],
    [['a.example.com:5000'], 'https://a.example.com:05000/v2/', 'a.example.com:5000'],
    // non-ASCII look-alikes never match (the Kelvin sign lower-cases to k)
    [['k.example.com'], '\u212a.example.com', undefined],
    [['*.example.com'], 'b\u00fccher.example.com', undefined],
  ])('%j with %s -> %s', (keys, serverUrl, expected) => {
    expect(winner(keys, serverUrl)).toBe(expected);
  });

  const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/);
  const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));

  it('matches exactly as the anchored regular expression of the key would', () => {
    const glob = fc.stringMatching(/^[ab*-]{1,6}$/);
    const text = fc.stringMatching(/^[ab-]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(glob, { minLength: 1, maxLength: 3 }),
        fc.array(text, { minLength: 1, maxLength: 3 }),
        (globs, labels) => {
          const key = globs.join('.');
          const pattern = compileHostPattern(key);
          if (typeof pattern === 'string') return true;
          const source = globs
            .map((g) =>
              g
                .split('*')
                .map((p) => p.replace(/-/g, '\\-'))
                .join('[a-z0-9-]+'),
            )
            .join('\\.');
          const host = labels.join('.');
          return patternMatches(pattern, { host }) === new RegExp(`^${source}$`).test(host);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a literal key matches exactly its own host', () => {
    fc.assert(
      fc.property(host, host, (key, other) => {
        const pattern = compileHostPattern(key);
        if (typeof pattern === 'string') return false;
        return (
          patternMatches(pattern, { host: key }) &&
          patternMatches(pattern, { host: other }) === (key === other)
        );
      }),
    );
  });

  it('a `*` label matches any one label and never a dotted run', () => {
    fc.assert(
      fc.property(
        label,
        fc.array(label, { minLength: 2, maxLength: 3 }),
        host,
        (one, many, rest) => {
          const pattern = compileHostPattern(`*.${rest}`);
          if (typeof pattern === 'string') return false;
          return (
            patternMatches(pattern, { host: `${one}.${rest}` }) &&
            !patternMatches(pattern, { host: `${many.join('.')}.${rest}` }) &&
            !patternMatches(pattern, { host: rest })
          );
        },
      ),
    );
  });

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

describe('keysCovering()', () => {
  const label = fc.stringMatching(/^[a-z0-9*][a-z0-9*-]{0,5}$/);
  const hostOf = (labels: readonly string[]) => labels.join('.');
  const port = fc.option(fc.integer({ min: 1, max: 65535 }).map(String), { nil: undefined });

  it('never leaves out a key that covers the host (it only saves compiling the others)', () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 4 }),
        port,
        fc.array(
          label.map((text) => text.replace(/\*/g, 'x')),
          { minLength: 1, maxLength: 4 },
        ),
        port,
        (keyLabels, keyPort, hostLabels, hostPort) => {
          const key = keyPort === undefined ? hostOf(keyLabels) : `${hostOf(keyLabels)}:${keyPort}`;
          const pattern = compileHostPattern(key);
          if (typeof pattern === 'string') return true;
          const target = {
            host: hostOf(hostLabels),
            ...(hostPort !== undefined ? { port: hostPort } : {}),
          };
          return !patternMatches(pattern, target) || keysCovering(target)(key);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a literal key names its host; a pattern needs as many labels', () => {
    const covers = keysCovering({ host: 'a.example.com', port: '5000' });
    expect(['a.example.com', 'a.example.com:5000', 'a.example.com:1', '*.example.com']).toEqual(
      ['a.example.com', 'a.example.com:5000', 'a.example.com:1', '*.example.com'].filter(covers),
    );
    expect(['b.example.com', 'example.com', '*.a.example.com', '*.com'].filter(covers)).toEqual([]);
  });
});
