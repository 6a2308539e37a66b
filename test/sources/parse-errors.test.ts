import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { parseJson } from '../../src/sources/parse/json.js';
import { parseYamlDocuments } from '../../src/sources/parse/yaml.js';

const SECRET = 'sk-live-4f9a8b7c6d5e';
const errorOf = (parse: () => unknown): InputError => {
  try {
    parse();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
};

describe('parse errors say where and what was expected, never the input text', () => {
  it.each([
    [
      'an unquoted value',
      `{"token": ${SECRET}}`,
      1,
      11,
      'unexpected character (values are strings in double quotes, numbers, true, false, null, objects or lists)',
    ],
    ['a missing comma', `{"a": 1 "${SECRET}": 2}`, 1, 9, "expected ',' or '}' after property value"],
    ['a doubled comma', `["${SECRET}",,1]`, 1, 25, 'expected a value'],
    ['text after the end', `{"a": 1} ${SECRET}`, 1, 10, 'unexpected non-whitespace character after JSON'],
    ['a bad escape', `{"a": "${SECRET}\\q"}`, 1, 29, 'bad escaped character'],
    ['a truncated file', `{"a": "${SECRET}"`, 1, 29, 'unexpected end of file (is it truncated?)'],
  ])('JSON: %s', (_, text, line, column, message) => {
    const error = errorOf(() => parseJson('f.json', text));
    expect(error.oneLine).not.toContain(SECRET.slice(0, 8));
    expect({ line: error.line, column: error.column, message: error.message }).toEqual({
      line,
      column,
      message: `invalid JSON: ${message}`,
    });
  });

  it.each([
    ['an unterminated flow map', `a: {b: ${SECRET}\n`],
    ['a bad escape', `a: "${SECRET}\\q"\n`],
    ['an alias to nothing', `a: *${SECRET}\n`],
    ['a stray token', `a: b\n] ${SECRET}\n`],
    ['a duplicate key', `${SECRET}: 1\n${SECRET}: 2\n`],
  ])('YAML: %s', (_, text) => {
    const error = errorOf(() => parseYamlDocuments('f.yaml', `apiVersion: v1\nkind: Pod\n${text}`));
    expect(error.oneLine).toMatch(/^f\.yaml:\d+:\d+: invalid YAML: [a-z]/);
    expect(error.oneLine).not.toContain(SECRET.slice(0, 8));
  });

  it('a YAML file over its cap is refused before parsing', () => {
    expect(errorOf(() => parseYamlDocuments('f.yaml', `a: ${'x'.repeat(2000)}`, 1024)).oneLine).toBe(
      'f.yaml: larger than 0 MB: refused (YAML reads about a hundred times slower than JSON: convert it, e.g. `yq -o json`; AKSGUARD_MAX_YAML_MB raises the limit)',
    );
  });

  it('a large JSON text of millions of tiny values is refused before it is built', () => {
    const text = `[${'{},'.repeat(6_000_000)}{}]`;
    expect(errorOf(() => parseJson('f.json', text)).oneLine).toMatch(
      /^f\.json: more than 4 million objects and lists or 20 million values in one JSON document: refused$/,
    );
  });
});
