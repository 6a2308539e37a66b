import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { blankCommentsAndTrailingCommas, parseJson } from '../../src/sources/parse/json.js';

describe('parseJson', () => {
  it('locates values, keys and array items, with CRLF line ends', () => {
    const text = '{\r\n  "a": {\r\n    "b": [\r\n      1,\r\n      { "c": true }\r\n    ]\r\n  }\r\n}';
    const doc = parseJson('f.json', text);
    expect(doc.locate(['a'])).toEqual({ line: 2, column: 3 });
    expect(doc.locate(['a', 'b', 1, 'c'])).toEqual({ line: 5, column: 9 });
    expect(doc.locate(['a', 'b', 0])).toEqual({ line: 4, column: 7 });
  });

  it('falls back to the closest existing ancestor for a missing key', () => {
    const doc = parseJson('f.json', '{\n  "properties": {\n    "x": 1\n  }\n}');
    expect(doc.locate(['properties', 'enableRBAC'])).toEqual({ line: 2, column: 3 });
  });

  it('finds later siblings after earlier lookups in the same container', () => {
    const items = Array.from({ length: 50 }, (_, i) => `  {"name": "n${i}"}`).join(',\n');
    const doc = parseJson('f.json', `[\n${items}\n]`);
    expect(doc.locate([10, 'name'])).toEqual({ line: 12, column: 4 });
    expect(doc.locate([40, 'name'])).toEqual({ line: 42, column: 4 });
    expect(doc.locate([3])).toEqual({ line: 5, column: 3 });
  });

  it('accepts comments and trailing commas without moving positions', () => {
    const doc = parseJson('f.json', '{\n  // note\n  "a": [1, 2,], /* x */\n  "b": { "c": "//not a comment", },\n}');
    expect(doc.value).toEqual({ a: [1, 2], b: { c: '//not a comment' } });
    expect(doc.locate(['b', 'c'])).toEqual({ line: 4, column: 10 });
  });

  it('keeps strings with escaped quotes and commas intact', () => {
    expect(blankCommentsAndTrailingCommas('{"a": "x\\",]", "b": 1}')).toBe('{"a": "x\\",]", "b": 1}');
  });

  it('strips a byte-order mark', () => {
    expect(parseJson('f.json', '\ufeff{"a": 1}').value).toEqual({ a: 1 });
  });

  for (const [name, text, line, column, message] of [
    ['truncated', '{\n  "a": [1,\n', 2, 11, /end of file/],
    ['unterminated comment', '{ /* open\n "a": 1 }', 1, 3, /unterminated comment/],
    ['bad token', '{\n  "a": tru\n}', 2, 8, /invalid JSON/],
    ['text after the value', '{"a": 1} x', 1, 10, /after JSON/i],
  ] as const) {
    it(`reports ${name} with line and column`, () => {
      let error: unknown;
      try {
        parseJson('f.json', text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      const input = error as InputError;
      expect([input.line, input.column]).toEqual([line, column]);
      expect(input.message).toMatch(message);
      expect(input.oneLine).toMatch(new RegExp(`^f\\.json:${line}:${column}: `));
    });
  }
});
