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

describe('parseJson on large files (item by item)', () => {
  const pod = (i: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'ns', labels: { 'a"b': 'x}\n{' } },
    spec: { containers: [{ name: 'c', image: `img:${i}`, env: [{ name: 'PASSWORD', value: 's3cret' }] }] },
    note: 'padding '.repeat(40),
  });
  const count = 60_000; // about 25 MB: over the size where lists are read item by item
  const items = Array.from({ length: count }, (_, i) => pod(i));
  const layouts = {
    'one item per line': `{"apiVersion": "v1", "kind": "List",\n"items": [\n${items.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`,
    'pretty-printed like kubectl': JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: {} }, null, 4),
    'all on one line': JSON.stringify({ kind: 'List', apiVersion: 'v1', items }),
    'a top-level array': JSON.stringify(items, null, 2),
  };

  for (const [layout, text] of Object.entries(layouts)) {
    it(`gives what JSON.parse gives and locates every item: ${layout}`, () => {
      let shrunk = 0;
      const doc = parseJson('big.json', text, (item) => {
        shrunk++;
        return item;
      });
      expect(shrunk).toBe(count); // read item by item, not by the whole-file parser
      expect(doc.value).toEqual(JSON.parse(text));
      const base = Array.isArray(doc.value) ? [] : ['items'];
      for (const i of [0, 1, 31_337, count - 1]) {
        const offset = text.indexOf(`"p${i}"`);
        const line = text.slice(0, offset).split('\n').length;
        expect(doc.locate([...base, i, 'metadata', 'name'])?.line).toBe(line);
      }
    });
  }

  it('hands each item to the shrink function as it is parsed', () => {
    const seen: unknown[] = [];
    const doc = parseJson('big.json', layouts['one item per line'], (item) => {
      seen.push(item);
      return { kept: (item as { metadata: { name: string } }).metadata.name };
    });
    expect(seen).toHaveLength(count);
    expect((doc.value as { items: unknown[] }).items[5]).toEqual({ kept: 'p5' });
  });

  for (const [name, text, message] of [
    ['truncated', layouts['one item per line'].slice(0, -20), /end of file/],
    ['a missing comma between items', layouts['one item per line'].replace('},\n{', '}\n{'), /invalid JSON/],
    [
      'a bad value in the middle',
      layouts['pretty-printed like kubectl'].replace('"img:30000"', 'img:30000'),
      /invalid JSON/,
    ],
  ] as const) {
    it(`reports ${name} as the whole-file parser does`, () => {
      expect(() => parseJson('big.json', text)).toThrow(message);
    });
  }

  it('falls back to the whole-file parser for comments and repeated keys, with its results', () => {
    const commented = layouts['one item per line'].replace('"items": [', '"items": [ // pods');
    expect((parseJson('big.json', commented).value as { items: unknown[] }).items).toHaveLength(count);
    const repeated = `{"kind": "A", ${layouts['all on one line'].slice(1, -1)}, "kind": "B"}`;
    expect((parseJson('big.json', repeated).value as { kind: string }).kind).toBe('B');
  });
});
