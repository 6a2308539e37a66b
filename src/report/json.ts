import type { ScanResult } from '../model/result.js';

/** The machine contract (schemaVersion 1): stable key order, findings already sorted. */
export const json = (result: ScanResult): string => [...jsonChunks(result)].join('');

/**
 * The same text as `JSON.stringify(result, null, 2)`, one finding at a time: a report of a few hundred thousand
 * findings is longer than one JavaScript string may be, and is written as it is made.
 */
export function* jsonChunks(result: ScanResult): Generator<string> {
  const entries = Object.entries(result).filter(([, value]) => value !== undefined);
  yield '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    yield `  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) yield* listChunks(value);
    else yield nested(value);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield '}\n';
}

/** About a megabyte at a time: one write per finding would be hundreds of thousands of system calls. */
const CHUNK_CHARS = 2 ** 20;

function* listChunks(items: readonly unknown[]): Generator<string> {
  let chunk = '[\n';
  for (const [i, item] of items.entries()) {
    chunk += `    ${nested(item, '    ')}${i < items.length - 1 ? ',\n' : '\n'}`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}  ]`;
}

/** A value as it reads at this depth of the pretty-printed whole. */
const nested = (value: unknown, indent = '  '): string =>
  (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);
