import { isJsonObject, jsonErrorOffset, lineAndColumn, parseJsonObject } from '../../src/json';

describe('isJsonObject()', () => {
  it('is true for an object only: not null, an array or a plain value', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject(JSON.parse('{"a":1}'))).toBe(true);
    for (const value of [null, [], [{}], 'x', 1, true, undefined]) {
      expect(isJsonObject(value)).toBe(false);
    }
  });
});

describe('parseJsonObject()', () => {
  it('is the object a text holds, or says what the text is instead', () => {
    expect(parseJsonObject(' {"a": [1]} ')).toEqual({ a: [1] });
    expect(parseJsonObject('{"password": "hunter2",}')).toBe('not JSON');
    expect(parseJsonObject('')).toBe('not JSON');
    for (const text of ['null', '[]', '"x"', '12'])
      expect(parseJsonObject(text)).toBe('not an object');
  });
});

describe('jsonErrorOffset() and lineAndColumn()', () => {
  const failureOf = (text: string): unknown => {
    try {
      JSON.parse(text);
    } catch (error) {
      return error;
    }
    throw new Error('parsed');
  };

  it('place where JSON.parse stopped by line and column, from 1', () => {
    const text = '{\n  "a": 1,\n  }';
    const offset = jsonErrorOffset(failureOf(text));
    expect(offset).toBe(text.lastIndexOf('}'));
    expect(lineAndColumn(text, offset ?? -1)).toBe('line 3, column 3');
    expect(lineAndColumn(text, 0)).toBe('line 1, column 1');
  });

  it('is undefined for an error that names no position', () => {
    expect(jsonErrorOffset(new Error('Unexpected end of JSON input'))).toBeUndefined();
    expect(jsonErrorOffset('not an error')).toBeUndefined();
  });
});
