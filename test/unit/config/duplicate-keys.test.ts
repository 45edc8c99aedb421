import fc from 'fast-check';
import { firstDuplicateKey } from '../../../src/config/duplicate-keys';

describe('firstDuplicateKey()', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"registries":{"x.example":{},"x.example":{}}}', 'registries["x.example"]'],
    ['{"registries":{"x.example":{"helper":"a","helper":"b"}}}', 'registries["x.example"].helper'],
    ['{"a":[{"b":1},{"b":1,"b":2}]}', 'a[1].b'],
    ['{"a b":1,"a b":1}', '["a b"]'],
    ['{"\\u0061":1,"a":2}', 'a'],
    ['{"a\\"b":1,"a\\"b":2}', '["a\\"b"]'],
    [' { "a" : { "b" : 1 } , "c" : { "b" : 1 } , "a" : 0 } ', 'a'],
  ])('finds the duplicate in %s', (text, path) => {
    expect(firstDuplicateKey(text)).toBe(path);
  });

  it.each([
    '{}',
    '[1,{"a":1},{"a":1}]',
    '{"a":{"a":{"a":1}}}',
    '{"a":"a","b":"a"}',
    '{"a":"}\\"{,","b":1}',
    '"just a string"',
  ])('finds none in %s', (text) => {
    expect(firstDuplicateKey(text)).toBeUndefined();
  });

  it('walks deep nesting in linear time and memory', () => {
    const depth = 100_000;
    const arrays = `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(firstDuplicateKey(arrays)).toBeUndefined();
    const objects = `${'{"a":'.repeat(depth)}{"b":1,"b":2}${'}'.repeat(depth)}`;
    expect(firstDuplicateKey(objects)).toBe(`${'a.'.repeat(depth)}b`);
  });

  it('finds none in anything JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(firstDuplicateKey(JSON.stringify(value))).toBeUndefined();
        expect(firstDuplicateKey(JSON.stringify(value, null, 2))).toBeUndefined();
      }),
    );
  });
});
