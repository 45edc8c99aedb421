import fc from 'fast-check';
import {
  compileHostPattern,
  keysCovering,
  patternMatches,
} from '../../../src/routing/host-pattern';

describe('compileHostPattern() and patternMatches()', () => {
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
